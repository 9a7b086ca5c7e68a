/** 谈心谈话 limits, free of zod so the screens can show them (see vocab/note.ts for why). */
export const TALK_NOTE_MAX = 200
/** A talk is recorded soon after it happens; older ones belong in the paper record. */
export const TALK_MAX_AGE_DAYS = 90
