import { useEffect, useState } from 'react'
import { Button, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { ApiError } from '../../api'
import { readDraft } from '../../api/drafts'
import { getNote, removeNote } from '../../api/notes'
import NoteView from '../../components/NoteView'
import StatusBlock from '../../components/StatusBlock'
import { useLargeText } from '../../hooks/useLargeText'
import { useAction } from '../../hooks/useAction'
import { useMe } from '../../hooks/useMe'
import { useRequest } from '../../hooks/useRequest'
import { useSessionParam } from '../../hooks/useSessionParam'
import { useRefreshRound } from '../../hooks/useShownAgain'
import { withPageBoundary } from '../../components/PageBoundary'
import './index.scss'

/** One of my notes: read it, see the secretary's comment, edit or delete it. */
function NoteRead() {
  const noteId = useSessionParam()
  const { me } = useMe()
  const lt = useLargeText(me)
  const [round] = useRefreshRound()
  const req = useRequest(noteId ? `${noteId}:${round}` : null, () => getNote(noteId))
  const act = useAction()
  const [deleted, setDeleted] = useState(false)
  const note = req.data
  const mine = !!note && !!me && note.memberId === me.member._id
  const hasDraft = !!noteId && !!readDraft(noteId)

  useEffect(() => {
    if (note) Taro.setNavigationBarTitle({ title: note.kind === 'essay' ? '心得体会' : '学习笔记' }).catch(() => undefined)
  }, [note])

  if (!noteId) {
    return (
      <View className={`page note-page ${lt.className}`}>
        <StatusBlock error={new ApiError('NOT_FOUND', '没有找到这篇笔记')} />
      </View>
    )
  }
  if (deleted) {
    return (
      <View className={`page note-page ${lt.className}`}>
        <Text className='note-deleted'>这篇笔记已删除。</Text>
        <Button className='note-back' onClick={() => Taro.navigateBack().catch(() => Taro.switchTab({ url: '/pages/notes/index' }))}>
          回到笔记
        </Button>
      </View>
    )
  }
  if (!note) {
    return (
      <View className={`page note-page ${lt.className}`}>
        <StatusBlock loading={req.loading} error={req.error} onRetry={req.retry} />
      </View>
    )
  }

  const remove = async () => {
    const answer = await Taro.showModal({
      title: '删除这篇笔记？',
      content: '删除后不再计入全年字数，也不能恢复。',
      confirmText: '删除',
      confirmColor: '#c8102e',
      cancelText: '不删了'
    }).catch(() => ({ confirm: false }))
    if (!answer.confirm) return
    void act.run(async () => {
      await removeNote(note._id, note.version)
      setDeleted(true)
      Taro.showToast({ title: '已删除', icon: 'success' }).catch(() => undefined)
    }, '没有删除成功，请稍后再试')
  }

  return (
    <View className={`page note-page ${lt.className}${lt.large ? ' note-page--large' : ''}`}>
      <NoteView note={note} />
      {act.message ? <Text className='form-error'>{act.message}</Text> : null}
      {mine ? (
        <View className='note-actions'>
          <Button className='note-edit' onClick={() => Taro.navigateTo({ url: `/pages/note-edit/index?id=${encodeURIComponent(note._id)}` })}>
            {hasDraft ? '继续修改（有未保存的草稿）' : note.review?.status === 'returned' ? '按意见修改' : '修改'}
          </Button>
          <Button className='note-delete' loading={act.busy || undefined} disabled={act.busy || undefined} onClick={() => void remove()}>
            删除
          </Button>
        </View>
      ) : null}
    </View>
  )
}

export default withPageBoundary(NoteRead)
