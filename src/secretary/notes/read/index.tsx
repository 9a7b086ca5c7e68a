import { useEffect, useState } from 'react'
import { Button, Text, Textarea, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { ApiError } from '../../../api'
import { getNote, reviewNote, type Note } from '../../../api/notes'
import { notesToReview } from '../../../api/todo'
import NoteView from '../../../components/NoteView'
import StatusBlock from '../../../components/StatusBlock'
import { useAction } from '../../../hooks/useAction'
import { useMe } from '../../../hooks/useMe'
import { useRequest } from '../../../hooks/useRequest'
import { useSessionParam } from '../../../hooks/useSessionParam'
import './index.scss'
import { useLargeText } from '../../../hooks/useLargeText'
import { withPageBoundary } from '../../../components/PageBoundary'

const COMMENT_MAX = 200
/** Long enough to read “都审阅完了” before the list comes back. */
const BACK_AFTER_MS = 1500

/**
 * Read a member's note and mark it 合格 or 退回修改 with a comment the member
 * reads in the app. Opened from 待审阅 (`queue=1`), the page goes on to the
 * next waiting note in place, so a pile is reviewed without going back to the
 * list after each one; when none is left it says so and returns to the list.
 */
function ReviewNote() {
  const lt = useLargeText()
  const firstId = useSessionParam()
  const { params } = useRouter()
  const inQueue = params.queue === '1'
  const { me } = useMe()
  const [noteId, setNoteId] = useState(firstId)
  const req = useRequest(noteId || null, () => getNote(noteId))
  const [updated, setUpdated] = useState<Note | null>(null)
  const [comment, setComment] = useState('')
  const [done, setDone] = useState(0)
  const act = useAction()
  const note = updated ?? req.data
  const branchId = note?.branchId ?? null
  // Re-read after each decision: another officer may be reviewing the same pile.
  const queue = useRequest(inQueue && branchId ? `queue:${branchId}:${done}` : null, () => notesToReview(branchId as string))
  const name = queue.data?.notes.find((n) => n._id === noteId)?.memberName ?? ''
  const decided = !!updated
  const next = queue.data?.notes.find((n) => n._id !== noteId)
  // Others still waiting besides this one (this one while it is still pending).
  const left = queue.data ? queue.data.total - (queue.data.notes.some((n) => n._id === noteId) ? 1 : 0) : null
  const allDone = inQueue && decided && left === 0 && !queue.loading

  useEffect(() => {
    if (name) Taro.setNavigationBarTitle({ title: `${name}的笔记` }).catch(() => undefined)
  }, [name])

  useEffect(() => {
    if (!allDone) return
    const timer = setTimeout(() => Taro.navigateBack().catch(() => undefined), BACK_AFTER_MS)
    return () => clearTimeout(timer)
  }, [allDone])

  const goNext = () => {
    if (!next) return
    setUpdated(null)
    setComment('')
    act.setMessage('')
    setNoteId(next._id)
    Taro.pageScrollTo({ scrollTop: 0, duration: 0 }).catch(() => undefined)
  }

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
      setDone((d) => d + 1)
      Taro.showToast({ title: status === 'passed' ? '已标为合格' : '已退回', icon: 'success' }).catch(() => undefined)
    }, '没有提交成功，请稍后再试')
  }

  const own = !!me && note.memberId === me.member._id
  const counter = inQueue && left !== null ? (
    <Text className='sec-queue-left' data-left={left}>
      {left > 0 ? `还有 ${left} 篇待审阅` : '这是最后一篇待审阅的笔记'}
    </Text>
  ) : null

  if (inQueue && decided) {
    return (
      <View className={`page sec-note-read ${lt.className}`}>
        <View className='sec-queue-after' data-status={note.review?.status}>
          <Text className='sec-queue-result'>
            {name ? `${name}的“${note.title}”` : `“${note.title}”`}
            {note.review?.status === 'passed' ? '已标为合格。' : '已退回修改，意见会一并告诉本人。'}
          </Text>
          {allDone ? (
            <Text className='sec-queue-done'>待审阅的笔记都看完了，辛苦了。正在回到列表……</Text>
          ) : (
            <>
              {counter}
              <StatusBlock loading={queue.loading && !queue.data} error={queue.error} onRetry={queue.retry} />
              {next ? (
                <Button className='sec-queue-next' onClick={goNext}>
                  下一篇
                </Button>
              ) : null}
            </>
          )}
          <Button className='sec-queue-back' onClick={() => Taro.navigateBack().catch(() => undefined)}>
            回到列表
          </Button>
        </View>
      </View>
    )
  }

  return (
    <View className={`page sec-note-read ${lt.className}`}>
      {counter}
      <NoteView note={note} />
      {own ? (
        <Text className='sec-review-own'>这是您自己的笔记，请由支部其他委员审阅。</Text>
      ) : (
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
          <Text className='sec-review-hint'>{name || '这位同志'}会在“笔记”里看到意见。</Text>
        </View>
      )}
    </View>
  )
}

export default withPageBoundary(ReviewNote)
