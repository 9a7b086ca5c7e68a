import { Text, View } from '@tarojs/components'
import { RANK_BY, RANK_BY_LABELS, type RankBy } from '../../core/vocab/stats'
import './index.scss'

interface Props {
  value: RankBy
  onChange: (by: RankBy) => void
  /** False when the organisation does not show points to members: no 积分 choice. */
  showPoints: boolean
}

/** 按积分 / 按参会率 / 按笔记完成率: rates and points, never time spent in the app. */
export default function RankByPicker({ value, onChange, showPoints }: Props) {
  const choices = RANK_BY.filter((b) => showPoints || b !== 'points')
  return (
    <View className='rank-by'>
      {choices.map((b) => (
        <Text key={b} className={`rank-by-chip rank-by-${b}${value === b ? ' rank-by-chip--on' : ''}`} onClick={() => onChange(b)}>
          按{RANK_BY_LABELS[b]}
        </Text>
      ))}
    </View>
  )
}
