import { Button, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import type { MemberWarning } from '../../api/stats'
import { WARNING_LEVEL_LABELS } from '../../core/vocab/stats'
import { ALERT_SEVERITY_LABELS, WARNING_ACTIONS } from '../../core/stats/warnings'
import TalkRecord from './TalkRecord'

/** The Constitution's words, so the secretary sees why three months already matter. */
export const ART9_TEXT = '党章第九条：党员如果没有正当理由，连续六个月不参加党的组织生活，或不交纳党费，或不做党所分配的工作，就被认为是自行脱党。'

function go(url: string) {
  Taro.navigateTo({ url })
}

/** One member's warning: level in words and colour, each fact, and what the secretary can do. */
export default function WarningCard({ w, quarter }: { w: MemberWarning; quarter: string }) {
  const level = w.level ?? 'none'
  const pointsUrl = `/secretary/member-points/index?id=${encodeURIComponent(w.memberId)}&period=${encodeURIComponent(quarter)}`
  return (
    <View className={`warning-card warning-card-${level}${w.alert ? ' warning-card--alert' : ''}`} data-member-id={w.memberId} data-level={level}>
      <View className='warning-head'>
        <Text className='warning-name'>{w.name}</Text>
        <View className='warning-chips'>
          {w.alert ? (
            <Text className={`warning-chip warning-chip-alert warning-severity-${w.alert.severity}`}>
              {ALERT_SEVERITY_LABELS[w.alert.severity]} · 连续 {w.alert.months} 个月
            </Text>
          ) : null}
          {w.level ? <Text className={`warning-chip warning-chip-${w.level}`}>{WARNING_LEVEL_LABELS[w.level]}</Text> : null}
        </View>
      </View>

      {w.alert ? <Text className='warning-alert-text'>{w.alert.text}</Text> : null}
      {w.facts.map((f, i) => (
        <View key={`${f.reason}:${i}`} className={`warning-fact warning-fact-${f.level}`} data-reason={f.reason}>
          <Text className='warning-fact-mark'>{f.level === 'red' ? '红' : '黄'}</Text>
          <Text className='warning-fact-text'>{f.text}</Text>
        </View>
      ))}

      {w.actions.length ? (
        <View className='warning-actions'>
          <Text className='warning-actions-title'>建议</Text>
          {w.actions.map((a) => (
            <Text key={a} className='warning-action'>
              · {a}
            </Text>
          ))}
          {w.actions.includes(WARNING_ACTIONS.talk) || w.actions.includes(WARNING_ACTIONS.contact) ? <TalkRecord w={w} /> : null}
          <View className='warning-buttons'>
            {w.actions.includes(WARNING_ACTIONS.makeup) ? (
              <Button className='warning-btn warning-go-makeups' onClick={() => go('/secretary/makeups/index')}>
                安排补学
              </Button>
            ) : null}
            <Button className='warning-btn warning-go-points' onClick={() => go(pointsUrl)}>
              积分明细
            </Button>
          </View>
        </View>
      ) : null}
    </View>
  )
}
