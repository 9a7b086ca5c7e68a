/**
 * 笔记定额: "每个工作人员全年笔记不少于1万字，副科级以上干部不少于1.5万字，同时撰写心得体会4篇以上".
 * Pure: the caller passes the member and the settings in force for their branch.
 */
import { exemptionOf } from '../org/exemption'
import type { Member } from '../schemas/member'
import type { OrgSettingsValues } from '../schemas/settings'

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
  member: Pick<Member, 'rank' | 'exempt'> & { birthYear?: number | null },
  settings: Pick<OrgSettingsValues, 'quotas'> & { exemptAge?: number | null },
  year?: number
): NoteQuota | null {
  // Who is exempt is one rule (org/exemption.ts); without a year only the secretary's mark is known.
  if (year === undefined ? member.exempt : exemptionOf(member, settings, year).quota) return null
  const words = member.rank === 'deputy_section_plus' ? settings.quotas.deputyWords : settings.quotas.staffWords
  return { words, essays: settings.quotas.essays }
}
