import type { ReactNode } from 'react'
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import type { MemberRankingResult } from '../../api/stats'
import { RANK_BY_LABELS } from '../../core/vocab/stats'
import { percentText } from '../../components/format'
import { attendanceText, periodShortName, rankChange } from '../../components/statsText'

interface Props {
  data: MemberRankingResult
  /** The period choice, under the figures it changes (the figures come first on the tab). */
  picker?: ReactNode
}

/**
 * 我的情况: the member's own figures, always shown whatever the ranking
 * settings (members always see their own record), with the sums spelled out.
 */
export default function MyFigures({ data, picker }: Props) {
  const me = data.me
  const when = periodShortName(data.period, Date.now())
  if (!me) {
    return (
      <View className='my-figures my-figures--none' data-period={data.period}>
        <Text className='my-figures-title'>我的情况 · {when}</Text>
        <Text className='my-figures-explain'>这段时间还没有您的记录。参加活动、写学习笔记后，这里会显示您的参会率、笔记和积分。</Text>
        {picker}
      </View>
    )
  }
  const att = attendanceText(me)
  const change = rankChange(me.rank, me.previousRank)
  const ranked = data.visible && me.rank !== undefined && !me.exempt
  return (
    <View className='my-figures' data-points={data.showPoints ? me.points : ''} data-rank={ranked ? me.rank : ''} data-period={data.period}>
      <Text className='my-figures-title'>我的情况 · {when}</Text>
      {ranked ? (
        <View className='my-rank'>
          <Text className='my-rank-text'>
            按{RANK_BY_LABELS[data.by]}，支部内第 <Text className='my-rank-num'>{me.rank}</Text> 名
          </Text>
          <Text className={`my-rank-move rank-move-${change.dir}`}>
            {change.text} {change.words}
          </Text>
        </View>
      ) : null}
      {me.exempt ? <Text className='my-figures-note'>您已列为免考核党员，不参加排行，以下记录仅供自己查看。</Text> : null}

      <View className='my-grid'>
        {data.showPoints ? (
          <View className='my-cell my-cell-points'>
            <Text className='my-cell-label'>积分</Text>
            <Text className='my-cell-value'>{me.points}</Text>
            <Text className='my-cell-sub'>分</Text>
          </View>
        ) : null}
        <View className='my-cell my-cell-attendance'>
          <Text className='my-cell-label'>参会率</Text>
          <Text className='my-cell-value'>{percentText(me.attendanceRate)}</Text>
          <Text className='my-cell-sub'>{att.figures}</Text>
        </View>
        <View className='my-cell my-cell-quota'>
          <Text className='my-cell-label'>笔记完成率</Text>
          <Text className='my-cell-value'>{me.quotaRate === null ? '—' : percentText(me.quotaRate)}</Text>
          <Text className='my-cell-sub'>{me.quotaRate === null && me.exempt ? '已免除字数要求' : `计入 ${me.creditedWords.toLocaleString()} 字`}</Text>
        </View>
        <View className='my-cell my-cell-essays'>
          <Text className='my-cell-label'>心得体会</Text>
          <Text className='my-cell-value'>{me.essays}</Text>
          <Text className='my-cell-sub'>篇</Text>
        </View>
      </View>
      {picker}
      {att.explain ? <Text className='my-figures-explain'>{att.explain}</Text> : null}
      <Text className='my-figures-explain'>笔记完成率 = 计入的字数 ÷ 这段时间应完成的字数（全年字数要求按月平均分摊）。</Text>

      {data.showPoints ? (
        <View
          className='my-points-link'
          hoverClass='my-points-link--pressed'
          onClick={() => Taro.navigateTo({ url: `/pages/points/index?period=${encodeURIComponent(data.period)}` })}
        >
          <Text className='my-points-link-text'>积分明细</Text>
          <Text className='my-points-link-hint'>每一分的来由和积分规则 ›</Text>
        </View>
      ) : null}
    </View>
  )
}
