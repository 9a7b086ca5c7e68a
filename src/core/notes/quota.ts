/**
 * 笔记定额: "每个工作人员全年笔记不少于1万字，副科级以上干部不少于1.5万字，同时撰写心得体会4篇以上".
 * Pure: the caller passes the member and the settings in force for their branch.
 */
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
  if (member.exempt) return null
  const age = settings.exemptAge
  if (age != null && year !== undefined && member.birthYear != null && year - member.birthYear >= age) return null
  const words = member.rank === 'deputy_section_plus' ? settings.quotas.deputyWords : settings.quotas.staffWords
  return { words, essays: settings.quotas.essays }
}
