import { useState } from 'react'
import { Button, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { reportSubscribe, type SubscribeAnswer, type TemplateKey } from '../../api/remind'
import './index.scss'

const IS_H5 = process.env.TARO_ENV === 'h5'

/**
 * The WeChat template id of each reminder kind. Locally the stable template
 * key stands in for the id; a deployment replaces these values with the ids
 * from 微信公众平台 › 订阅消息 (and the remind function maps them back to keys).
 */
export const TEMPLATE_IDS: Record<TemplateKey, string> = {
  session_tomorrow: 'session_tomorrow',
  session_soon: 'session_soon',
  notes_behind: 'notes_behind',
  makeup_due: 'makeup_due',
  outcome: 'outcome'
}

/** WeChat takes at most 3 templates per request. */
const DEFAULT_TEMPLATES: TemplateKey[] = ['session_tomorrow', 'session_soon', 'notes_behind']
const ANSWERS: SubscribeAnswer[] = ['accept', 'reject', 'ban', 'filter']

interface Props {
  templates?: TemplateKey[]
  className?: string
  /**
   * Asked at a natural moment (after a check-in, after saving a note): on the
   * web version, where WeChat cannot reach anyone, it shows nothing rather
   * than a note the member cannot act on.
   */
  moment?: boolean
  /** Told after the member answered, so a page showing the budget can refresh it. */
  onAnswered?: () => void
}

/**
 * "接收微信提醒": one-time subscribe messages allow one message per accepted
 * template, so the member is asked from a tap (WeChat refuses it otherwise)
 * and the answers go to the server as the reminder budget. The web version
 * cannot receive WeChat messages: it says so and asks nothing.
 */
export default function SubscribeAsk({ templates = DEFAULT_TEMPLATES, className, moment, onAnswered }: Props) {
  const [state, setState] = useState<'idle' | 'busy' | 'done' | 'none' | 'failed'>('idle')

  if (IS_H5 && moment) return null
  if (IS_H5) {
    return (
      <View className={`subscribe-ask subscribe-ask--h5 ${className ?? ''}`}>
        <Text className='subscribe-ask-note'>网页版无法接收微信消息，仅在应用内提醒。支部的提醒都会出现在这里。</Text>
      </View>
    )
  }

  const keys = templates.slice(0, 3)
  const onTap = () => {
    if (state === 'busy') return
    setState('busy')
    const tmplIds = keys.map((k) => TEMPLATE_IDS[k])
    // Called straight from the tap: WeChat shows its dialog only for a user gesture.
    Taro.requestSubscribeMessage({ tmplIds } as Taro.requestSubscribeMessage.Option)
      .then((res) => {
        const answers = res as unknown as Record<string, string>
        const results: Partial<Record<TemplateKey, SubscribeAnswer>> = {}
        for (const k of keys) {
          const a = answers[TEMPLATE_IDS[k]]
          if (ANSWERS.includes(a as SubscribeAnswer)) results[k] = a as SubscribeAnswer
        }
        if (Object.keys(results).length === 0) {
          setState('failed')
          return
        }
        const accepted = Object.values(results).includes('accept')
        setState(accepted ? 'done' : 'none')
        // The budget is the server's; a failed report only costs a WeChat message, never the in-app one.
        reportSubscribe(results)
          .then(() => onAnswered?.())
          .catch(() => undefined)
      })
      .catch(() => setState('failed'))
  }

  const text =
    state === 'done'
      ? '好的，下次有活动或提醒时会在微信里告诉您。每点一次，可以收到一次微信提醒。'
      : state === 'none'
        ? '您没有同意接收。提醒仍会出现在这里，不会错过。'
        : state === 'failed'
          ? '这次没有打开微信的提醒设置，可以稍后再点一次。提醒仍会出现在这里。'
          : '点一下，下次提醒就会同时发到微信。每点一次，可以收到一次微信提醒。'

  return (
    <View className={`subscribe-ask subscribe-ask--${state} ${className ?? ''}`}>
      <Button className='subscribe-ask-button' loading={state === 'busy' || undefined} onClick={onTap}>
        接收微信提醒
      </Button>
      <Text className='subscribe-ask-note'>{text}</Text>
    </View>
  )
}
