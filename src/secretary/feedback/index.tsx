import { useState } from 'react'
import { Button, Text, Textarea, View } from '@tarojs/components'
import { useRouter } from '@tarojs/taro'
import { feedbackList, replyFeedback, type FeedbackView } from '../../api/feedback'
import StatusBlock from '../../components/StatusBlock'
import { momentText } from '../../components/format'
import { withPageBoundary } from '../../components/PageBoundary'
import { useAction } from '../../hooks/useAction'
import { useRequest } from '../../hooks/useRequest'
import './index.scss'

/** One message and, for an admin, the reply box; the reply goes to the writer's 消息. */
function Item({ f, canReply, onReplied }: { f: FeedbackView; canReply: boolean; onReplied: () => void }) {
  const [text, setText] = useState(f.reply?.text ?? '')
  const act = useAction()
  const onSend = () => {
    if (!text.trim()) {
      act.setMessage('请先写下回复')
      return
    }
    act.run(() => replyFeedback(f._id, text).then(onReplied), '没有回复成功，请稍后再试')
  }
  return (
    <View className='fbl-item' data-feedback-id={f._id}>
      <Text className='fbl-text'>{f.text}</Text>
      <Text className='fbl-meta'>
        {f.name} · {f.branchName} · {momentText(f.createdAt)}
        {f.anonymous ? ' · 对支部匿名' : ''}
      </Text>
      {f.reply ? <Text className='fbl-reply'>已回复：{f.reply.text}</Text> : null}
      {canReply ? (
        <View className='fbl-form'>
          <Textarea className='fbl-input' placeholder={f.reply ? '修改回复' : '写下回复，会出现在对方的「消息」里'} value={text} maxlength={500} autoHeight onInput={(e) => setText(e.detail.value)} />
          {act.message ? <Text className='form-error'>{act.message}</Text> : null}
          <Button className='fbl-send' loading={act.busy || undefined} onClick={onSend}>
            {f.reply ? '更新回复' : '回复'}
          </Button>
        </View>
      ) : null}
    </View>
  )
}

/**
 * 意见建议 for the 党委's admins (every branch under them, names shown), or,
 * with ?branchId=, a branch's officers (anonymous ones without the name).
 */
function FeedbackListPage() {
  const branchId = useRouter().params.branchId
  const [round, setRound] = useState(0)
  const req = useRequest(`feedback-list:${branchId ?? ''}:${round}`, () => feedbackList(branchId))
  const items = req.data?.items ?? []
  return (
    <View className='page fbl-page'>
      <Text className='page-title'>意见建议</Text>
      <Text className='page-lead'>党员对小程序和学习安排的意见建议。选了“不让支部看到我是谁”的，支部书记、支委看不到名字。</Text>
      <StatusBlock loading={req.loading && !req.data} error={req.error} onRetry={req.retry} />
      {req.data && items.length === 0 ? <Text className='fbl-empty'>还没有收到意见建议。</Text> : null}
      {items.map((f) => (
        <Item key={`${f._id}:${f.reply?.at ?? 0}`} f={f} canReply={!!req.data?.canReply} onReplied={() => setRound((r) => r + 1)} />
      ))}
    </View>
  )
}

export default withPageBoundary(FeedbackListPage)
