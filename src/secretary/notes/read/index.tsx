import { useState } from 'react'
import { Button, Text, Textarea, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { ApiError } from '../../../api'
import { getNote, reviewNote, type Note } from '../../../api/notes'
import NoteView from '../../../components/NoteView'
import StatusBlock from '../../../components/StatusBlock'
import { useAction } from '../../../hooks/useAction'
import { useRequest } from '../../../hooks/useRequest'
import { useSessionParam } from '../../../hooks/useSessionParam'
import './index.scss'
import { useLargeText } from '../../../hooks/useLargeText'
import { withPageBoundary } from '../../../components/PageBoundary'

const COMMENT_MAX = 200

/** Read a member's note and mark it 合格 or 退回修改 with a comment the member reads in the app. */
function ReviewNote() {
  const lt = useLargeText()
  const noteId = useSessionParam()
  const req = useRequest(noteId || null, () => getNote(noteId))
  const [updated, setUpdated] = useState<Note | null>(null)
  const [comment, setComment] = useState('')
  const act = useAction()
  const note = updated ?? req.data

  if (!noteId) {
    return (
      <View className={`page sec-note-read ${lt.className}`}>
        <StatusBlock error={new ApiError('NOT_FOUND', '没有找到这篇笔记')} />
      </View>
    )
  }
  if (!note) {
    return (
      <View className={`page sec-note-read ${lt.className}`}>
        <StatusBlock loading={req.loading} error={req.error} onRetry={req.retry} />
      </View>
    )
  }

  const review = (status: 'passed' | 'returned') => {
    if (status === 'returned' && !comment.trim()) {
      act.setMessage('退回修改时请写一句意见，告诉这位同志哪里需要改。')
      return
    }
    void act.run(async () => {
      const next = await reviewNote(note._id, status, comment)
      setUpdated(next ?? { ...note, review: { ...note.review, status, ...(comment.trim() ? { comment: comment.trim() } : {}) } })
      setComment('')
      Taro.showToast({ title: status === 'passed' ? '已标为合格' : '已退回', icon: 'success' }).catch(() => undefined)
    }, '没有提交成功，请稍后再试')
  }

  return (
    <View className={`page sec-note-read ${lt.className}`}>
      <NoteView note={note} />
      <View className='sec-review' data-status={note.review?.status ?? 'pending'}>
        <Text className='sec-review-title'>审阅</Text>
        <Textarea
          className='sec-review-comment'
          placeholder='意见（退回修改时必填，合格时可不写）'
          value={comment}
          maxlength={COMMENT_MAX}
          autoHeight
          onInput={(e) => setComment(e.detail.value)}
        />
        <Text className='sec-review-count'>
          {comment.length}/{COMMENT_MAX}
        </Text>
        {act.message ? <Text className='sec-review-error'>{act.message}</Text> : null}
        <View className='sec-review-buttons'>
          <Button className='sec-review-return' disabled={act.busy || undefined} onClick={() => review('returned')}>
            退回修改
          </Button>
          <Button className='sec-review-pass' loading={act.busy || undefined} disabled={act.busy || undefined} onClick={() => review('passed')}>
            合格
          </Button>
        </View>
        <Text className='sec-review-hint'>党员会在“笔记”里看到您的意见。</Text>
      </View>
    </View>
  )
}

export default withPageBoundary(ReviewNote)
