import { Text, View } from '@tarojs/components'
import { rankChange } from '../statsText'
import './index.scss'

export interface RankRow {
  id: string
  rank: number
  previousRank: number | null
  name: string
  /** The figure the list is ordered by, e.g. 12 分 or 86%. */
  value: string
  /** The other figures, small, under the name. */
  details: string[]
  /** The caller's own row (or branch): highlighted and marked in words. */
  mine?: boolean
}

interface Props {
  rows: RankRow[]
  /** What `value` is, in the header: 积分, 参会率… */
  valueLabel: string
  /** 姓名 or 支部, over the name column. */
  nameLabel: string
  /** 我 / 本支部: the word on the highlighted row, so colour is not the only sign. */
  mineLabel: string
  onTap?: (id: string) => void
  className?: string
}

/**
 * A ranking as stacked rows (no wide table, so nothing overflows a 375 px
 * phone): rank, name with the other figures under it, the ordering figure,
 * and the move since the last period. Tied rows share a rank (from the server).
 */
export default function RankTable({ rows, valueLabel, nameLabel, mineLabel, onTap, className }: Props) {
  return (
    <View className={`rank-table${className ? ' ' + className : ''}`}>
      <View className='rank-head'>
        <Text className='rank-head-rank'>名次</Text>
        <Text className='rank-head-name'>{nameLabel}</Text>
        <Text className='rank-head-value'>{valueLabel}</Text>
      </View>
      {rows.map((r) => {
        const change = rankChange(r.rank, r.previousRank)
        return (
          <View
            key={r.id}
            className={`rank-row${r.mine ? ' rank-row--mine' : ''}${onTap ? ' rank-row--tap' : ''}`}
            data-id={r.id}
            data-rank={r.rank}
            data-mine={r.mine ? 'true' : 'false'}
            hoverClass={onTap ? 'rank-row--pressed' : 'none'}
            onClick={onTap ? () => onTap(r.id) : undefined}
          >
            <View className='rank-no' ariaLabel={`第 ${r.rank} 名，${change.words}`}>
              <Text className={`rank-no-num${r.rank <= 3 ? ' rank-no-top' : ''}`}>{r.rank}</Text>
              <Text className={`rank-move rank-move-${change.dir}`}>
                {change.text}
              </Text>
            </View>
            <View className='rank-main'>
              <View className='rank-name-line'>
                <Text className='rank-name'>{r.name}</Text>
                {r.mine ? <Text className='rank-mine-tag'>{mineLabel}</Text> : null}
              </View>
              {r.details.length ? <Text className='rank-details'>{r.details.join(' · ')}</Text> : null}
            </View>
            <Text className='rank-value'>{r.value}</Text>
            {onTap ? <Text className='rank-chevron'>›</Text> : null}
          </View>
        )
      })}
    </View>
  )
}
