import { Button, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import StatusBlock from '../../components/StatusBlock'
import ComposeForm from './ComposeForm'
import { resultSentences } from './resultText'
import { useRemindForm, type RemindForm } from './useRemindForm'
import './index.scss'
import { useLargeText } from '../../hooks/useLargeText'
import { withPageBoundary } from '../../components/PageBoundary'

/** Names shown in the preview before "等 N 人": enough to spot a wrong audience. */
const NAMES_SHOWN = 60

function logUrl(reminderId?: string): string {
  return reminderId ? `/secretary/remind-log/index?reminderId=${encodeURIComponent(reminderId)}` : '/secretary/remind-log/index'
}

/** The 预览 step: who exactly will get it, before anything is sent. */
function PreviewStep({ form }: { form: RemindForm }) {
  const p = form.preview
  if (!p) return null
  const names = p.recipients.slice(0, NAMES_SHOWN)
  return (
    <View className='remind-preview-step' data-count={p.count}>
      <View className='remind-card'>
        <Text className='remind-card-label'>将提醒</Text>
        <Text className='remind-count'>{p.count} 人</Text>
        {p.count === 0 ? <Text className='remind-card-text'>现在没有需要提醒的同志，不用发送。</Text> : null}
        <View className='remind-names'>
          {names.map((r) => (
            <Text key={r.memberId} className='remind-name' data-member-id={r.memberId}>
              {r.name}
            </Text>
          ))}
          {p.recipients.length > names.length ? <Text className='remind-name-more'>等 {p.count} 人</Text> : null}
        </View>
      </View>
      <View className='remind-card'>
        <Text className='remind-card-label'>提醒内容</Text>
        <Text className='remind-message-title'>{form.title}</Text>
        <Text className='remind-card-text'>{form.body}</Text>
      </View>
      {form.action.message ? <Text className='form-error remind-error'>{form.action.message}</Text> : null}
      {p.count > 0 ? (
        <Button className='form-submit remind-send' loading={form.action.busy || undefined} disabled={form.action.busy || undefined} onClick={form.send}>
          发送
        </Button>
      ) : null}
      <Button className='form-button-plain remind-back' disabled={form.action.busy || undefined} onClick={form.back}>
        返回修改
      </Button>
    </View>
  )
}

/** After 发送: what happened, in one sentence, and where to follow it up. */
function DoneStep({ form }: { form: RemindForm }) {
  const r = form.result
  if (!r) return null
  return (
    <View className='remind-done' data-reminder-id={r.reminderId}>
      <View className='remind-card remind-card--done'>
        <Text className='remind-done-title'>{r.recipients > 0 ? '提醒已发出' : '没有发出'}</Text>
        {resultSentences(r).map((line, i) => (
          <Text key={i} className='remind-result'>
            {line}
          </Text>
        ))}
      </View>
      <Button className='form-button-plain remind-go-log' onClick={() => Taro.navigateTo({ url: logUrl(r.reminderId) })}>
        查看谁已读
      </Button>
      <Button className='form-button-plain remind-again' onClick={form.again}>
        再发一条
      </Button>
    </View>
  )
}

/** 发提醒: only to those it concerns, previewed before it goes. */
function RemindCompose() {
  const lt = useLargeText()
  const form = useRemindForm()
  return (
    <View className={`page remind-page ${lt.className}`}>
      <View className='remind-head'>
        <Text className='page-title'>发提醒</Text>
        <Text className='remind-log-link' onClick={() => Taro.navigateTo({ url: logUrl() })}>
          发送记录 ›
        </Text>
      </View>
      {!form.me ? <StatusBlock loading={form.meLoading} error={form.meError} onRetry={form.reload} /> : null}
      {form.step === 'compose' ? (
        <>
          <Text className='page-lead'>提醒会出现在党员的“消息”里；同意接收微信提醒的同志，微信里也会收到。</Text>
          <ComposeForm form={form} />
        </>
      ) : null}
      {form.step === 'preview' ? <PreviewStep form={form} /> : null}
      {form.step === 'done' ? <DoneStep form={form} /> : null}
    </View>
  )
}

export default withPageBoundary(RemindCompose)
