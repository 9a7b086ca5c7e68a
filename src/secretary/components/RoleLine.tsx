import { Text } from '@tarojs/components'
import type { MemberSummary } from '../../api/org'
import { ROLE_LABELS } from '../../core/vocab/member'

/** One quiet line: roles, 离退休, 免考核 — what a secretary needs at a glance. */
export default function RoleLine({ member }: { member: MemberSummary }) {
  const parts: string[] = Array.from(new Set(member.roles.map((r) => ROLE_LABELS[r.role])))
  if (member.retired) parts.push('离退休')
  if (member.exempt) parts.push('免考核')
  if (parts.length === 0) parts.push('党员')
  return <Text className='member-row-role'>{parts.join(' · ')}</Text>
}
