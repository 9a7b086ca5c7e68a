import { Text, View } from '@tarojs/components'
import type { PointsLine, PointsResult } from '../../api/stats'
import { formatShanghai } from '../../core/period'
import { periodName, signedPoints } from '../statsText'
import './index.scss'

function Line({ line }: { line: PointsLine }) {
  const manual = line.sourceType === 'manual'
  // The label already reads 书记调整 for these; the tag adds who made it.
  const sign = line.delta > 0 ? 'plus' : line.delta < 0 ? 'minus' : 'zero'
  return (
    <View
      className={`points-line points-line-${sign}${line.correction ? ' points-line--correction' : ''}`}
      data-line-id={line._id}
      data-delta={line.delta}
      data-rule={line.rule}
    >
      <View className='points-line-main'>
        <View className='points-line-head'>
          <Text className='points-line-date'>{formatShanghai(line.at, 'M月D日')}</Text>
          <Text className='points-line-label'>{line.label}</Text>
        </View>
        <Text className='points-line-reason'>{line.reason}</Text>
        {line.correction || manual ? (
          <View className='points-line-tags'>
            {line.correction ? <Text className='points-tag points-tag-correction'>更正</Text> : null}
            {manual ? (
              <Text className='points-tag points-tag-manual'>{line.createdByName ? `调整人：${line.createdByName}` : '书记调整'}</Text>
            ) : null}
          </View>
        ) : null}
      </View>
      <Text className={`points-line-delta points-delta-${sign}`}>{signedPoints(line.delta)}</Text>
    </View>
  )
}

interface Props {
  data: PointsResult
  /** The member themself reads it (您), or an officer reads a member's (这位同志). */
  self: boolean
}

/**
 * A points ledger as its owner trusts it: the total, every entry with the
 * fact behind it (corrections and secretary adjustments marked), and the
 * rules in force, so any number can be checked by hand.
 */
export default function PointsLedger({ data, self }: Props) {
  return (
    <View className='points-ledger' data-total={data.total} data-lines={data.lines.length}>
      <View className='points-total'>
        <Text className='points-total-label'>
          {self ? '' : `${data.name} · `}
          {periodName(data.period)}积分
        </Text>
        <Text className='points-total-value'>{data.total}</Text>
        <Text className='points-total-note'>共 {data.lines.length} 条记录，每一分都能在下面找到来由</Text>
      </View>

      <Text className='points-section'>积分明细</Text>
      {data.lines.length === 0 ? (
        <Text className='points-empty'>
          {self ? '这段时间还没有积分记录。参加组织生活、写学习笔记都会在这里记上一笔。' : '这段时间还没有积分记录。'}
        </Text>
      ) : (
        <View className='points-lines'>
          {data.lines.map((l) => (
            <Line key={l._id} line={l} />
          ))}
        </View>
      )}

      {data.rules.length ? (
        <View className='points-rules'>
          <Text className='points-section'>积分规则</Text>
          <Text className='points-rules-lead'>本组织现行的积分办法（规则调整前的记录按当时的规则计算）：</Text>
          {data.rules.map((r) => (
            <View key={r.rule} className='points-rule' data-rule={r.rule}>
              <Text className='points-rule-label'>{r.label}</Text>
              <Text className={`points-rule-value points-delta-${r.points >= 0 ? 'plus' : 'minus'}`}>{signedPoints(r.points)} 分</Text>
            </View>
          ))}
          <Text className='points-rules-lead'>经书记批准的请假不算缺席。积分只看参加了什么、写了什么，不看在手机上花了多少时间。</Text>
        </View>
      ) : null}
    </View>
  )
}
