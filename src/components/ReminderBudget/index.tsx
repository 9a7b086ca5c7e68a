import { useCallback, useState } from 'react'
import { Text, View } from '@tarojs/components'
import { useDidShow } from '@tarojs/taro'
import { budget, type TemplateKey } from '../../api/remind'
import { TEMPLATE_LABELS } from '../../core/remind/templates'
import SubscribeAsk from '../SubscribeAsk'
import './index.scss'

const KEYS = Object.keys(TEMPLATE_LABELS) as TemplateKey[]
const IS_H5 = process.env.TARO_ENV === 'h5'

/**
 * How many WeChat reminders the member can still receive, per kind: each
 * "接收微信提醒" tap that WeChat accepts allows exactly one. Shown so nobody
 * wonders why a WeChat message did not come; the inbox has them all anyway.
 */
export default function ReminderBudget() {
  const [left, setLeft] = useState<Partial<Record<TemplateKey, number>> | null>(null)
  const load = useCallback(() => {
    // Subscribe budgets are a WeChat matter: the web version neither shows nor fetches them.
    if (IS_H5) return
    budget()
      .then((b) => setLeft(b.rows[0]?.templates ?? {}))
      .catch(() => undefined)
  }, [])
  useDidShow(load)

  const total = left ? KEYS.reduce((sum, k) => sum + (left[k] ?? 0), 0) : null
  return (
    <View className='reminder-budget' data-total={total ?? ''}>
      <Text className='reminder-budget-title'>微信提醒</Text>
      {IS_H5 ? null : total === null ? (
        <Text className='reminder-budget-line'>正在查看…</Text>
      ) : (
        <View className='reminder-budget-list'>
          <Text className='reminder-budget-line'>{total > 0 ? `还可以收到 ${total} 次微信提醒：` : '目前不会收到微信提醒，提醒仍会出现在“消息”里。'}</Text>
          {total > 0
            ? KEYS.filter((k) => (left?.[k] ?? 0) > 0).map((k) => (
                <Text key={k} className='reminder-budget-item'>
                  {TEMPLATE_LABELS[k]}：{left?.[k]} 次
                </Text>
              ))
            : null}
        </View>
      )}
      <SubscribeAsk templates={['session_tomorrow', 'session_soon', 'notes_behind']} onAnswered={load} className='reminder-budget-ask' />
    </View>
  )
}
