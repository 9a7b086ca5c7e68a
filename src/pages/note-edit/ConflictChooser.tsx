import { Button, Text, View } from '@tarojs/components'
import { momentText } from '../../components/format'
import type { Conflict, Fields } from './useNoteEditor'

interface Props {
  conflict: Conflict
  mine: Fields
  busy: boolean
  onKeepMine: () => void
  onTakeStored: () => void
}

/** Both versions side by side when the note was saved elsewhere meanwhile, so the member picks one. */
export default function ConflictChooser({ conflict, mine, busy, onKeepMine, onTakeStored }: Props) {
  return (
    <View className='note-conflict'>
      <Text className='note-conflict-title'>{conflict.deleted ? '这篇笔记已在别处删除' : '这篇笔记在别处（另一台手机或电脑）保存过'}</Text>
      <Text className='note-conflict-lead'>
        {conflict.message || (conflict.deleted ? '您的内容还在这台手机上。' : '两份内容都在下面，请选一份。')}
      </Text>
      {conflict.updatedAt ? <Text className='note-conflict-lead'>别处保存于 {momentText(conflict.updatedAt)}。</Text> : null}
      <Text className='note-conflict-label'>我刚写的</Text>
      <Text className='note-conflict-text note-conflict-mine'>{mine.content}</Text>
      {!conflict.deleted ? (
        <View className='note-conflict-stored-block'>
          <Text className='note-conflict-label'>
            别处保存的{conflict.title && conflict.title !== mine.title ? `（标题：${conflict.title}）` : ''}
          </Text>
          <Text className='note-conflict-text note-conflict-stored'>{conflict.content}</Text>
        </View>
      ) : null}
      <Button
        className='note-conflict-keep-mine'
        data-version={conflict.version}
        loading={busy || undefined}
        disabled={busy || undefined}
        onClick={onKeepMine}
      >
        {conflict.deleted ? '把我写的另存为新笔记' : '用我刚写的保存'}
      </Button>
      {!conflict.deleted ? (
        <Button className='note-conflict-take-stored' disabled={busy || undefined} onClick={onTakeStored}>
          改用别处保存的
        </Button>
      ) : null}
    </View>
  )
}
