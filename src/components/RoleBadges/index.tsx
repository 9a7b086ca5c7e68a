import { Text, View } from '@tarojs/components'
import type { Me } from '../../api/auth'
import { ROLE_LABELS } from '../../core/vocab/member'
import './index.scss'

/** What the app calls a person: their roles, else 党员 / 离退休党员. */
export function roleLabels(me: Me): string[] {
  const labels = Array.from(new Set(me.member.roles.map((r) => ROLE_LABELS[r.role])))
  if (me.member.retired) labels.push('离退休党员')
  if (labels.length === 0) labels.push('党员')
  return labels
}

export default function RoleBadges({ me }: { me: Me }) {
  return (
    <View className='role-badges'>
      {roleLabels(me).map((label) => (
        <Text key={label} className='role-badge'>
          {label}
        </Text>
      ))}
    </View>
  )
}
