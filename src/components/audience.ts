import type { SessionAudience } from '../api/sessions'

export const AUDIENCE_LABELS: Record<SessionAudience['kind'], string> = {
  branch: '全体党员',
  committee: '支委会成员',
  group: '党小组成员',
  list: '指定的党员'
}

export function audienceText(a: SessionAudience, groupName?: string): string {
  if (a.kind === 'group' && groupName) return groupName
  if (a.kind === 'list' && a.memberIds) return `指定的 ${a.memberIds.length} 位党员`
  return AUDIENCE_LABELS[a.kind] ?? '全体党员'
}
