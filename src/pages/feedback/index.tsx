import { useState } from 'react'
import { Button, Switch, Text, Textarea, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { myFeedback, sendFeedback } from '../../api/feedback'
import { newClientId } from '../../api/drafts'
import StatusBlock from '../../components/StatusBlock'
import { momentText } from '../../components/format'
import { withPageBoundary } from '../../components/PageBoundary'
import { useAction } from '../../hooks/useAction'
import { useLargeText } from '../../hooks/useLargeText'
import { useMe } from '../../hooks/useMe'
import { useRequest } from '../../hooks/useRequest'
import './index.scss'

const MAX = 500

/**
 * 意见建议: a member writes to the 党委's admins about the app or how it is
 * used. The anonymity switch is toward the branch only, and the form says
 * so plainly: the admins see the name, so that the answer can reach them.
 */
function FeedbackPage() {
  const { me } = useMe()
  const lt = useLargeText(me)
  const [text, setText] = useState('')
  const [anonymous, setAnonymous] = useState(false)
  const [clientId, setClientId] = useState(() => newClientId())
  const [round, setRound] = useState(0)
  const [sent, setSent] = useState(false)
  const mine = useRequest(`feedback:${round}`, myFeedback)
  const act = useAction()
  const isAdmin = !!me?.member.roles.some((r) => r.role === 'admin')
  const left = MAX - text.length

  const onSend = () => {
    if (!text.trim()) {
      act.setMessage('请先写下您的意见或建议')
      return
    }
    act.run(async () => {
      await sendFeedback(text, anonymous, clientId)
      setText('')
      setSent(true)
      setClientId(newClientId())
      setRound((r) => r + 1)
    }, '没有发送成功，请稍后再试')
  }

  return (
    <View className={`page feedback-page ${lt.className}`}>
      <Text className='page-title'>意见建议</Text>
      <Text className='page-lead'>对小程序或支部学习的安排有什么想法，都可以写在这里，党委管理员会看到并回复，回复会出现在「消息」里。</Text>
      {isAdmin ? (
        <View className='feedback-admin' hoverClass='feedback-admin--pressed' onClick={() => Taro.navigateTo({ url: '/secretary/feedback/index' })}>
          <Text>查看大家的意见建议并回复 ›</Text>
        </View>
      ) : null}
      <Textarea
        className='feedback-input'
        placeholder='比如：签到码太小，后排看不清'
        value={text}
        maxlength={MAX}
        autoHeight
        onInput={(e) => {
          setText(e.detail.value)
          setSent(false)
        }}
      />
      <Text className='feedback-count'>还可以写 {left} 字</Text>
      <View className='feedback-anon'>
        <View className='feedback-anon-text'>
          <Text className='feedback-anon-title'>不让支部看到我是谁</Text>
          <Text className='feedback-anon-hint'>打开后，支部书记、支委看不到您的名字；党委管理员仍能看到，以便回复您。</Text>
        </View>
        <Switch className='feedback-anon-switch' checked={anonymous} onChange={(e) => setAnonymous(e.detail.value)} />
      </View>
      {act.message ? <Text className='form-error feedback-error'>{act.message}</Text> : null}
      {sent ? <Text className='feedback-sent'>已发送，谢谢您！回复会出现在「消息」里。</Text> : null}
      <Button className='feedback-send' loading={act.busy || undefined} onClick={onSend}>
        发送
      </Button>

      <StatusBlock loading={mine.loading && !mine.data} error={mine.error} onRetry={mine.retry} />
      {mine.data && mine.data.length > 0 ? <Text className='feedback-mine-title'>我提过的</Text> : null}
      {(mine.data ?? []).map((f) => (
        <View key={f._id} className='feedback-item' data-feedback-id={f._id}>
          <Text className='feedback-item-text'>{f.text}</Text>
          <Text className='feedback-item-meta'>
            {momentText(f.createdAt)}
            {f.anonymous ? ' · 对支部匿名' : ''}
          </Text>
          {f.reply ? <Text className='feedback-item-reply'>回复：{f.reply.text}</Text> : <Text className='feedback-item-meta'>等待回复</Text>}
        </View>
      ))}
    </View>
  )
}

export default withPageBoundary(FeedbackPage)
