/**
 * 自我评价 copied from a colleague's: the "一抄完事" the speeches complain of,
 * in the one text a 民主评议 asks each member to write in their own words.
 * A review holds at most a few hundred short texts, so they are compared
 * directly with the notes' engine (no index): a passage of this text found
 * in a colleague's 自我评价 first saved EARLIER counts as copied; the earlier one is
 * not flagged for being copied from. Nothing here names the colleague.
 */
import { fingerprintSet, judgeCopies, type Candidate } from '../originality/engine'

export interface OtherSelf {
  memberId: string
  text: string
  /** When it was first saved: who wrote first does not change when either is edited later. */
  firstSavedAt: number
}

/** Words of `text` (first saved at `at`) found in colleagues' 自我评价 first saved before it; 0 when none. */
export function selfCopiedWords(text: string, at: number, others: readonly OtherSelf[]): number {
  const mine = new Set(fingerprintSet(text))
  const candidates: Candidate<null>[] = others
    .filter((o) => o.firstSavedAt < at && o.text.trim())
    .map((o) => ({ id: o.memberId, shared: new Set(fingerprintSet(o.text).filter((h) => mine.has(h))), meta: null }))
  return candidates.length === 0 ? 0 : judgeCopies(text, candidates).copiedWords
}
