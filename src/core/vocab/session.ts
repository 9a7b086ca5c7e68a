/** The vocabulary of sessions, free of zod (see vocab/note.ts for why). */

/** 三会一课 plus the other standing forms of organisational life. */
export const SESSION_TYPES = [
  'branch_general_meeting',
  'committee_meeting',
  'group_meeting',
  'party_lecture',
  'theme_day',
  'seminar',
  'life_meeting',
  'group_study',
  'other'
] as const
export type SessionType = (typeof SESSION_TYPES)[number]

export const SESSION_TYPE_LABELS: Record<SessionType, string> = {
  branch_general_meeting: '支部党员大会',
  committee_meeting: '支委会',
  group_meeting: '党小组会',
  party_lecture: '党课',
  theme_day: '主题党日',
  seminar: '专题学习研讨',
  // Yearly, with 民主评议党员 (review/): the meeting whose 会议记录 the review points to.
  life_meeting: '组织生活会',
  group_study: '集中学习',
  other: '其他活动'
}

/** Default geofence radius: a large meeting hall plus GPS error indoors. */
export const DEFAULT_GEOFENCE_RADIUS_M = 200
