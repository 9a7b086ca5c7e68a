import { useState } from 'react'
import { Button, Input, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { reviewMakeUp, type BranchMakeUpRow, type Makeup, type MakeupStatus } from '../../api/checkin'
import { getCachedMe } from '../../api/session'
import { momentText } from '../../components/format'
import { useAction } from '../../hooks/useAction'

export const STATUS_TEXT: Record<MakeupStatus, string> = {
  submitted: '待审阅',
  returned: '已退回',
  assigned: '还没交',
  accepted: '已合格'
}

interface Props {
  row: BranchMakeUpRow
  /** After 合格 or 退回: the make-up as the server now has it, and the comment sent. */
  onReviewed: (makeup: Makeup, comment: string) => void
}

/**
 * One member's make-up for one session. Closed it is a line (who, which
 * session, by when); opened it shows what they wrote, and for one waiting
 * for review, 合格 or 退回 with a comment the member will read.
 */
export default function MakeUpItem({ row, onReviewed }: Props) {
  const m = row.makeup
  const note = row.note
  const [open, setOpen] = useState(false)
  const [comment, setComment] = useState('')
  const act = useAction()
  // One's own make-up is reviewed by another officer (the server refuses it too).
  const mine = m.memberId === getCachedMe()?.member._id

  const review = (accept: boolean) => {
    if (!accept && !comment.trim()) {
      act.setMessage('退回时请写一句修改意见，党员会看到，知道怎么改。')
      return
    }
    void act.run(async () => {
      const next = await reviewMakeUp(m.sessionId, m.memberId, accept, comment)
      onReviewed(next ?? { ...m, status: accept ? 'accepted' : 'returned' }, comment.trim())
      setOpen(false)
      Taro.showToast({ title: accept ? '已记为合格' : '已退回', icon: 'none' }).catch(() => undefined)
    }, '没有保存成功，请稍后再试')
  }

  return (
    <View
      className={`makeup-row makeup-row-${m.status}${open ? ' makeup-row--open' : ''}`}
      data-member-id={m.memberId}
      data-session-id={m.sessionId}
      data-status={m.status}
    >
      <View className='makeup-row-head' onClick={() => setOpen(!open)}>
        <Text className='makeup-name'>{row.memberName || '（未知党员）'}</Text>
        <Text className={`makeup-status makeup-status-${m.status}`}>{STATUS_TEXT[m.status]}</Text>
      </View>
      <Text className='makeup-session'>
        {row.sessionTitle}（{momentText(row.sessionStartAt)}）
      </Text>
      <Text className={`makeup-meta${row.overdue ? ' makeup-overdue' : ''}`}>
        完成期限 {momentText(m.deadline)}
        {row.overdue ? '，已过期限' : ''}
        {m.submittedAt ? ` · 提交于 ${momentText(m.submittedAt)}` : ''}
      </Text>

      {!open && note ? (
        <Button className='makeup-open' onClick={() => setOpen(true)}>
          {m.status === 'submitted' && !mine ? '阅读心得并审阅' : '阅读心得'}
        </Button>
      ) : null}

      {open && note ? (
        <View className='makeup-note'>
          <Text className='makeup-note-title'>
            {note.title} · {note.words} 字
          </Text>
          <Text className='makeup-note-text' selectable userSelect>
            {note.content}
          </Text>
          {note.truncated ? <Text className='makeup-meta'>心得较长，这里只显示了前一部分。</Text> : null}
          {note.review.comment && m.status !== 'submitted' ? <Text className='makeup-meta'>审阅意见：{note.review.comment}</Text> : null}
        </View>
      ) : null}
      {open && !note ? (
        <Text className='makeup-meta'>{m.status === 'assigned' ? '还没有提交补学心得。' : '暂时读不到这份心得，请稍后再看。'}</Text>
      ) : null}

      {open && note && m.status === 'submitted' && mine ? <Text className='makeup-meta makeup-self-note'>自己的补学由其他支委或上级审阅。</Text> : null}
      {open && note && m.status === 'submitted' && !mine ? (
        <View className='makeup-review'>
          <Input
            className='makeup-comment'
            placeholder='审阅意见（合格可不填，退回请写明怎么改）'
            value={comment}
            maxlength={200}
            onInput={(e) => setComment(e.detail.value)}
          />
          {act.message ? <Text className='makeup-review-error'>{act.message}</Text> : null}
          <View className='makeup-actions'>
            <Button className='makeup-return' disabled={act.busy || undefined} onClick={() => review(false)}>
              退回
            </Button>
            <Button className='makeup-accept' loading={act.busy || undefined} disabled={act.busy || undefined} onClick={() => review(true)}>
              合格
            </Button>
          </View>
        </View>
      ) : null}
    </View>
  )
}
