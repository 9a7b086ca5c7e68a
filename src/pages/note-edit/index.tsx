import { Button, Input, Text, Textarea, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import StatusBlock from '../../components/StatusBlock'
import SubscribeAsk from '../../components/SubscribeAsk'
import { momentText } from '../../components/format'
import { NOTE_KIND_LABELS, NOTE_KINDS } from '../../core/vocab/note'
import { NOTE_MAX_CHARS } from '../../core/words'
import { useLargeText } from '../../hooks/useLargeText'
import { useMe } from '../../hooks/useMe'
import ConflictChooser from './ConflictChooser'
import WordCount from './WordCount'
import { SOURCE_MAX, TITLE_MAX, useNoteEditor } from './useNoteEditor'
import { withPageBoundary } from '../../components/PageBoundary'
import './index.scss'

/** Write or edit a note; the draft lives on the phone until the server has it. */
function NoteEdit() {
  const { me } = useMe()
  const lt = useLargeText(me)
  const { noteId, fields, ready, loadError, load, restored, saved, conflict, storageFailed, act, update, save, keepMine, takeStored } =
    useNoteEditor()

  if (loadError) {
    return (
      <View className={`page note-edit-page ${lt.className}`}>
        <StatusBlock error={loadError} onRetry={load} />
      </View>
    )
  }
  if (!ready) {
    return (
      <View className={`page note-edit-page ${lt.className}`}>
        <StatusBlock loading />
      </View>
    )
  }

  const large = lt.large ? ' note-edit--large' : ''
  return (
    <View className={`page note-edit-page ${lt.className}${large}`} data-note-id={noteId || ''}>
      {restored ? (
        <View className='note-draft-restored'>
          <Text className='note-draft-restored-text'>已恢复您上次没保存的草稿（{momentText(restored)}）。</Text>
        </View>
      ) : null}

      <Text className='form-label'>类型</Text>
      <View className='note-kinds'>
        {NOTE_KINDS.map((k) => (
          <View
            key={k}
            className={`note-kind note-kind-${k}${fields.kind === k ? ' note-kind--on' : ''}`}
            data-kind={k}
            onClick={() => update({ kind: k })}
          >
            <Text>{NOTE_KIND_LABELS[k]}</Text>
          </View>
        ))}
      </View>
      <Text className='form-hint'>
        {fields.kind === 'essay' ? '心得体会：写自己的认识和打算，全年至少 4 篇，字数也计入全年笔记。' : '学习笔记：摘录原文、记下要点和体会，计入全年笔记字数。'}
      </Text>

      <Text className='form-label'>标题</Text>
      <Input
        className='note-title-input form-input'
        placeholder='例如：学习《讲话》的体会'
        value={fields.title}
        maxlength={TITLE_MAX}
        onInput={(e) => update({ title: e.detail.value })}
      />

      <Text className='form-label note-source-label'>学习材料（可不填）</Text>
      <Input
        className='note-source-input form-input'
        placeholder='书名、文章或哪一次学习活动'
        value={fields.source}
        maxlength={SOURCE_MAX}
        onInput={(e) => update({ source: e.detail.value })}
      />

      {fields.exchange ? (
        <View className='note-exchange' data-session-id={fields.exchange.sessionId}>
          <Text className='form-label'>交流材料</Text>
          <View className='note-exchange-chip'>
            <Text className='note-exchange-title'>{fields.exchange.title}</Text>
            <View className='note-exchange-remove' role='button' aria-label='不作为交流材料' onClick={() => update({ exchange: null })}>
              <Text>✕ 不作为交流材料</Text>
            </View>
          </View>
          <Text className='form-hint'>保存后交给这次专题学习研讨，同时照常计入全年笔记。</Text>
        </View>
      ) : null}

      <Text className='form-label note-content-label'>正文</Text>
      <Textarea
        className='note-content-input'
        placeholder='写下您的学习笔记…'
        value={fields.content}
        maxlength={NOTE_MAX_CHARS}
        autoHeight
        onInput={(e) => update({ content: e.detail.value })}
      />
      <WordCount content={fields.content} />
      {storageFailed ? <Text className='form-error'>手机存储空间不足，草稿没能保存在手机上。请尽快点“保存”。</Text> : null}

      {conflict ? (
        <ConflictChooser conflict={conflict} mine={fields} busy={act.busy} onKeepMine={keepMine} onTakeStored={takeStored} />
      ) : null}

      {act.message ? <Text className='form-error note-error'>{act.message}</Text> : null}

      {saved ? (
        <View className='note-saved' data-note-id={saved.note._id} data-words={saved.note.words} data-credited={saved.note.creditedWords}>
          <Text className='note-saved-title'>已保存</Text>
          <Text className='note-saved-line'>
            本篇 {saved.note.words.toLocaleString()} 字，计入全年笔记 {saved.note.creditedWords.toLocaleString()} 字。
          </Text>
          {saved.creditNotice ? <Text className='note-credit-notice'>{saved.creditNotice}</Text> : null}
          <SubscribeAsk moment templates={['notes_behind', 'session_tomorrow']} className='note-saved-subscribe' />
          <View className='note-saved-actions'>
            <Button
              className='note-saved-open'
              onClick={() => Taro.redirectTo({ url: `/pages/note/index?id=${encodeURIComponent(saved.note._id)}` })}
            >
              查看这篇
            </Button>
            <Button className='note-saved-back' onClick={() => Taro.navigateBack().catch(() => Taro.switchTab({ url: '/pages/notes/index' }))}>
              回到笔记
            </Button>
          </View>
        </View>
      ) : conflict ? null : (
        <Button className='note-save' loading={act.busy || undefined} disabled={act.busy || undefined} onClick={save}>
          保存
        </Button>
      )}
      <Text className='form-hint note-draft-hint'>写的过程中会自动存在手机上，关掉也不会丢；点“保存”后才交给支部。</Text>
    </View>
  )
}

export default withPageBoundary(NoteEdit)
