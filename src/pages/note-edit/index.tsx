import { useCallback, useEffect, useRef, useState } from 'react'
import { Button, Input, Text, Textarea, View } from '@tarojs/components'
import Taro, { useDidHide, useUnload } from '@tarojs/taro'
import { ApiError } from '../../api'
import { clearDraft, clientIdFor, createDraftSaver, newClientId, readDraft, type NoteDraft } from '../../api/drafts'
import { conflictNote, getNote, saveNote, type Note, type NoteKind, type NoteSaveResult } from '../../api/notes'
import StatusBlock from '../../components/StatusBlock'
import { errorText } from '../../components/errorText'
import { momentText } from '../../components/format'
import { NOTE_KIND_LABELS, NOTE_KINDS } from '../../core/schemas/note'
import { NOTE_MAX_CHARS, WORD_COUNT_RULE_ZH, countNoteWords } from '../../core/words'
import { useAction } from '../../hooks/useAction'
import { useMe } from '../../hooks/useMe'
import { useSessionParam } from '../../hooks/useSessionParam'
import './index.scss'

const IS_H5 = process.env.TARO_ENV === 'h5'
const TITLE_MAX = 60
const SOURCE_MAX = 100

interface Fields {
  kind: NoteKind
  title: string
  source: string
  content: string
}

interface Conflict {
  version: number
  title: string
  content: string
  updatedAt?: number
  deleted: boolean
  message: string
}

interface SaveTarget {
  /** '' saves as a new note. */
  id: string
  version?: number
  clientId: string
}

const EMPTY: Fields = { kind: 'note', title: '', source: '', content: '' }

function sameAsNote(d: NoteDraft, n: Note): boolean {
  return d.title === n.title && d.content === n.content && (d.source || '') === (n.source || '') && d.kind === n.kind
}

/** Write or edit a note; the draft lives on the phone until the server has it. */
export default function NoteEdit() {
  const paramId = useSessionParam()
  const { me } = useMe()
  const [noteId, setNoteId] = useState(paramId)
  const [version, setVersion] = useState<number | undefined>(undefined)
  const [fields, setFields] = useState<Fields>(EMPTY)
  const [clientId, setClientId] = useState('')
  const [ready, setReady] = useState(false)
  const [loadError, setLoadError] = useState<ApiError | null>(null)
  const [restored, setRestored] = useState<number | null>(null)
  const [showRule, setShowRule] = useState(false)
  const [saved, setSaved] = useState<NoteSaveResult | null>(null)
  const [conflict, setConflict] = useState<Conflict | null>(null)
  const [storageFailed, setStorageFailed] = useState(false)
  const act = useAction()
  const saverRef = useRef(createDraftSaver(undefined, (ok) => setStorageFailed(!ok)))
  const saver = saverRef.current

  // Open: a new note restores the 'new' draft (with its clientId); an edit loads
  // the note and prefers a draft of it left unsaved on this phone.
  const load = useCallback(() => {
    setLoadError(null)
    if (!paramId) {
      const d = readDraft()
      setClientId(clientIdFor(d))
      if (d) {
        setFields({ kind: d.kind, title: d.title, source: d.source, content: d.content })
        setRestored(d.savedAt || Date.now())
      }
      setReady(true)
      return
    }
    getNote(paramId)
      .then((n) => {
        const d = readDraft(paramId)
        if (d && !sameAsNote(d, n)) {
          setFields({ kind: d.kind, title: d.title, source: d.source, content: d.content })
          setVersion(d.version ?? n.version)
          setRestored(d.savedAt || Date.now())
        } else {
          setFields({ kind: n.kind, title: n.title, source: n.source ?? '', content: n.content })
          setVersion(n.version)
        }
        setReady(true)
      })
      .catch((err: unknown) => {
        // Offline with a draft: still let the member write on.
        const d = readDraft(paramId)
        if (d && err instanceof ApiError && err.code === 'NETWORK') {
          setFields({ kind: d.kind, title: d.title, source: d.source, content: d.content })
          setVersion(d.version)
          setRestored(d.savedAt || Date.now())
          setReady(true)
          return
        }
        setLoadError(err instanceof ApiError ? err : new ApiError('INTERNAL'))
      })
  }, [paramId])

  useEffect(() => {
    load()
  }, [load])

  const draftOf = useCallback(
    (f: Fields): Omit<NoteDraft, 'savedAt'> => {
      const d: Omit<NoteDraft, 'savedAt'> = { kind: f.kind, title: f.title, source: f.source, content: f.content }
      if (noteId) {
        d.noteId = noteId
        if (version !== undefined) d.version = version
      } else if (clientId) d.clientId = clientId
      return d
    },
    [noteId, version, clientId]
  )

  const update = (patch: Partial<Fields>) => {
    setFields((prev) => {
      const next = { ...prev, ...patch }
      if (ready) saver.schedule(draftOf(next))
      return next
    })
    if (saved) setSaved(null)
  }

  // Leaving the page or the app writes the pending draft at once.
  useDidHide(() => saver.flush())
  useUnload(() => saver.flush())
  useEffect(() => {
    if (!IS_H5 || typeof window === 'undefined') return undefined
    const flush = () => saver.flush()
    const onVisibility = () => {
      if (typeof document !== 'undefined' && document.visibilityState === 'hidden') flush()
    }
    window.addEventListener('pagehide', flush)
    window.addEventListener('beforeunload', flush)
    document.addEventListener('visibilitychange', onVisibility)
    return () => {
      window.removeEventListener('pagehide', flush)
      window.removeEventListener('beforeunload', flush)
      document.removeEventListener('visibilitychange', onVisibility)
      flush()
    }
  }, [saver])

  const words = countNoteWords(fields.content)
  const chars = fields.content.length
  const full = chars >= NOTE_MAX_CHARS

  const doSave = (target: SaveTarget = { id: noteId, version, clientId }, f: Fields = fields) => {
    if (!f.title.trim()) {
      act.setMessage('请先写一个标题，比如“学习《讲话》的体会”。')
      return
    }
    if (!f.content.trim()) {
      act.setMessage('正文还是空的，写几句再保存吧。')
      return
    }
    if (f.content.length > NOTE_MAX_CHARS) {
      act.setMessage(`一篇笔记最多 ${NOTE_MAX_CHARS} 个字符，现在是 ${f.content.length} 个。内容都还在，请删去一些或分成两篇。`)
      return
    }
    saver.flush()
    void act.run(
      async () => {
        try {
          const out = await saveNote({
            id: target.id || undefined,
            version: target.id ? target.version : undefined,
            kind: f.kind,
            title: f.title.slice(0, TITLE_MAX),
            source: f.source.slice(0, SOURCE_MAX),
            content: f.content,
            clientId: target.id ? undefined : target.clientId
          })
          // Only now may the phone forget the draft(s) of this note.
          saver.cancel()
          if (!paramId) clearDraft()
          if (noteId) clearDraft(noteId)
          clearDraft(out.note._id)
          setNoteId(out.note._id)
          setVersion(out.note.version)
          setConflict(null)
          setRestored(null)
          setSaved(out)
          Taro.showToast({ title: '已保存', icon: 'success' }).catch(() => undefined)
        } catch (err) {
          const stored = conflictNote(err)
          const storedId = stored?.id || target.id
          if (stored && storedId) {
            let c: Conflict = {
              version: stored.version,
              title: stored.title ?? '',
              content: stored.content ?? '',
              updatedAt: stored.updatedAt,
              deleted: stored.deleted,
              message: err instanceof ApiError ? err.message : ''
            }
            if (stored.content === undefined && !stored.deleted) {
              const n = await getNote(storedId).catch(() => null)
              if (n) c = { ...c, version: n.version, title: n.title, content: n.content, updatedAt: n.updatedAt }
            }
            // A first save that reached the server before (reply lost, then edited): this page now edits that note.
            if (!target.id) setNoteId(storedId)
            setConflict(c)
            return
          }
          throw err
        }
      },
      (err) =>
        err instanceof ApiError && err.code === 'NETWORK'
          ? '网络不好，没有保存到服务器。写好的内容已保存在手机上，联网后再点一次“保存”。'
          : errorText(err, '没有保存成功，内容仍保存在手机上，请稍后再试')
    )
  }

  const keepMine = () => {
    if (!conflict) return
    if (conflict.deleted) {
      // Deleted elsewhere: keep the member's text as a new note.
      const fresh = newClientId()
      setClientId(fresh)
      setNoteId('')
      setVersion(undefined)
      doSave({ id: '', clientId: fresh })
      return
    }
    setVersion(conflict.version)
    doSave({ id: noteId, version: conflict.version, clientId })
  }

  const takeStored = () => {
    if (!conflict || conflict.deleted) return
    const mine = fields.content
    const next: Fields = { ...fields, title: conflict.title || fields.title, content: conflict.content }
    setVersion(conflict.version)
    setFields(next)
    saver.cancel()
    if (!paramId) clearDraft()
    if (noteId) clearDraft(noteId)
    setConflict(null)
    // The member's own text goes to the clipboard, so choosing loses nothing.
    Taro.setClipboardData({ data: mine }).catch(() => undefined)
    act.setMessage('已改用别处保存的内容。您刚才写的文字已复制，需要的话可以粘贴回来。')
  }

  if (loadError) {
    return (
      <View className='page note-edit-page'>
        <StatusBlock error={loadError} onRetry={load} />
      </View>
    )
  }
  if (!ready) {
    return (
      <View className='page note-edit-page'>
        <StatusBlock loading />
      </View>
    )
  }

  const large = me?.member.largeText ? ' note-edit--large' : ''
  return (
    <View className={`page note-edit-page${large}`} data-note-id={noteId || ''}>
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

      <Text className='form-label note-content-label'>正文</Text>
      <Textarea
        className='note-content-input'
        placeholder='写下您的学习笔记…'
        value={fields.content}
        maxlength={NOTE_MAX_CHARS}
        autoHeight
        onInput={(e) => update({ content: e.detail.value })}
      />
      <View className='note-word-count' data-words={words} data-chars={chars} onClick={() => setShowRule((s) => !s)}>
        <Text className='note-word-count-text'>已写 {words.toLocaleString()} 字</Text>
        <Text className='note-word-count-how'>{showRule ? '收起' : '怎么算字数？'}</Text>
      </View>
      {showRule ? <Text className='note-word-rule'>{WORD_COUNT_RULE_ZH}</Text> : null}
      {full ? (
        <Text className='note-too-long'>
          已达到一篇笔记的上限（{NOTE_MAX_CHARS} 个字符），再输入的内容不会加进来。已写的内容都在，可以先保存，再另写一篇接着记。
        </Text>
      ) : null}
      {storageFailed ? <Text className='form-error'>手机存储空间不足，草稿没能保存在手机上。请尽快点“保存”。</Text> : null}

      {conflict ? (
        <View className='note-conflict'>
          <Text className='note-conflict-title'>{conflict.deleted ? '这篇笔记已在别处删除' : '这篇笔记在别处（另一台手机或电脑）保存过'}</Text>
          <Text className='note-conflict-lead'>
            {conflict.message || (conflict.deleted ? '您的内容还在这台手机上。' : '两份内容都在下面，请选一份。')}
          </Text>
          {conflict.updatedAt ? <Text className='note-conflict-lead'>别处保存于 {momentText(conflict.updatedAt)}。</Text> : null}
          <Text className='note-conflict-label'>我刚写的</Text>
          <Text className='note-conflict-text note-conflict-mine'>{fields.content}</Text>
          {!conflict.deleted ? (
            <View className='note-conflict-stored-block'>
              <Text className='note-conflict-label'>
                别处保存的{conflict.title && conflict.title !== fields.title ? `（标题：${conflict.title}）` : ''}
              </Text>
              <Text className='note-conflict-text note-conflict-stored'>{conflict.content}</Text>
            </View>
          ) : null}
          <Button
            className='note-conflict-keep-mine'
            data-version={conflict.version}
            loading={act.busy || undefined}
            disabled={act.busy || undefined}
            onClick={keepMine}
          >
            {conflict.deleted ? '把我写的另存为新笔记' : '用我刚写的保存'}
          </Button>
          {!conflict.deleted ? (
            <Button className='note-conflict-take-stored' disabled={act.busy || undefined} onClick={takeStored}>
              改用别处保存的
            </Button>
          ) : null}
        </View>
      ) : null}

      {act.message ? <Text className='form-error note-error'>{act.message}</Text> : null}

      {saved ? (
        <View className='note-saved' data-note-id={saved.note._id} data-words={saved.note.words} data-credited={saved.note.creditedWords}>
          <Text className='note-saved-title'>已保存</Text>
          <Text className='note-saved-line'>
            本篇 {saved.note.words.toLocaleString()} 字，计入全年笔记 {saved.note.creditedWords.toLocaleString()} 字。
          </Text>
          {saved.creditNotice ? <Text className='note-credit-notice'>{saved.creditNotice}</Text> : null}
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
        <Button className='note-save' loading={act.busy || undefined} disabled={act.busy || undefined} onClick={() => doSave()}>
          保存
        </Button>
      )}
      <Text className='form-hint note-draft-hint'>写的过程中会自动存在手机上，关掉也不会丢；点“保存”后才交给支部。</Text>
    </View>
  )
}
