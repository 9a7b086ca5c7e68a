/**
 * 笔记定额: "每个工作人员全年笔记不少于1万字，副科级以上干部不少于1.5万字，同时撰写心得体会4篇以上".
 * Two categories: 在职 by rank as quoted, 离退休 one figure of their own
 * (schemas/settings.ts says why it is lower). Pure: the caller passes the
 * member and the settings in force for their branch.
 */
import { exemptionOf } from '../org/exemption'
import type { Member } from '../schemas/member'
import { DEFAULT_RETIRED_QUOTA, type Quotas } from '../schemas/settings'

export interface NoteQuota {
  /** Credited words required in the calendar year. */
  words: number
  /** 心得体会 required in the calendar year. */
  essays: number
}

/**
 * The member's quota for the year, or null when they have none: marked exempt
 * (高龄 / 长期病休 / 行动不便), or at or over the organisation's exemptAge in
 * that year (only when a birth year is known and a year is given).
 */
export function noteQuota(
  member: Pick<Member, 'rank' | 'exempt'> & { birthYear?: number | null; retired?: boolean },
  // `retired` may be missing from quotas built before the categories (it parses to the default).
  settings: { quotas: Omit<Quotas, 'retired'> & { retired?: Quotas['retired'] } } & { exemptAge?: number | null },
  year?: number
): NoteQuota | null {
  // Who is exempt is one rule (org/exemption.ts); without a year only the secretary's mark is known.
  if (year === undefined ? member.exempt : exemptionOf(member, settings, year).quota) return null
  const q = settings.quotas
  // A retired member's former rank sets nothing: the figure is the 离退休 one.
  if (member.retired) {
    const r = q.retired ?? DEFAULT_RETIRED_QUOTA
    return { words: r.words, essays: r.essays }
  }
  const words = member.rank === 'deputy_section_plus' ? q.deputyWords : q.staffWords
  return { words, essays: q.essays }
}
