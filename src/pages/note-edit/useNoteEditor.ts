import { useCallback, useEffect, useRef, useState } from 'react'
import Taro, { useDidHide, useRouter, useUnload } from '@tarojs/taro'
import { ApiError } from '../../api'
import { clearDraft, clientIdFor, createDraftSaver, newClientId, readDraft, type NoteDraft } from '../../api/drafts'
import { conflictNote, getNote, saveNote, type ExchangeLink, type Note, type NoteKind, type NoteSaveResult } from '../../api/notes'
import { errorText } from '../../components/errorText'
import { NOTE_MAX_CHARS } from '../../core/words'
import { useAction, type Action } from '../../hooks/useAction'
import { useSessionParam } from '../../hooks/useSessionParam'

const IS_H5 = process.env.TARO_ENV === 'h5'
export const TITLE_MAX = 60
export const SOURCE_MAX = 100

export interface Fields {
  kind: NoteKind
  title: string
  source: string
  content: string
  /** 交流材料: the seminar this note is handed in for; null when it is an ordinary note. */
  exchange: ExchangeLink | null
}

export interface Conflict {
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

export interface NoteEditor {
  noteId: string
  fields: Fields
  ready: boolean
  loadError: ApiError | null
  load: () => void
  restored: number | null
  saved: NoteSaveResult | null
  conflict: Conflict | null
  storageFailed: boolean
  act: Action
  update: (patch: Partial<Fields>) => void
  save: () => void
  keepMine: () => void
  takeStored: () => void
}

const EMPTY: Fields = { kind: 'note', title: '', source: '', content: '', exchange: null }

function sameAsNote(d: NoteDraft, n: Note): boolean {
  return (
    d.title === n.title &&
    d.content === n.content &&
    (d.source || '') === (n.source || '') &&
    d.kind === n.kind &&
    (d.exchange?.sessionId ?? '') === (n.sessionId ?? '')
  )
}

function fieldsOf(d: NoteDraft): Fields {
  return { kind: d.kind, title: d.title, source: d.source, content: d.content, exchange: d.exchange ?? null }
}

function decoded(raw: string | undefined): string {
  try {
    return raw ? decodeURIComponent(raw) : ''
  } catch {
    return raw ?? ''
  }
}

/**
 * `?seminar=<sessionId>&seminarTitle=…`: opened from a 专题学习研讨's page to
 * hand in 交流材料 (not `sessionId`, which useSessionParam reads as the note's id).
 */
function useSeminarParam(): ExchangeLink | null {
  const { params } = useRouter()
  const sessionId = decoded(params.seminar)
  return sessionId ? { sessionId, title: decoded(params.seminarTitle) || '专题学习研讨' } : null
}

/** The note being written, its draft on the phone, and the save round trip with its conflicts. */
export function useNoteEditor(): NoteEditor {
  const paramId = useSessionParam()
  const seminar = useSeminarParam()
  const [noteId, setNoteId] = useState(paramId)
  const [version, setVersion] = useState<number | undefined>(undefined)
  const [fields, setFields] = useState<Fields>(EMPTY)
  const [clientId, setClientId] = useState('')
  const [ready, setReady] = useState(false)
  const [loadError, setLoadError] = useState<ApiError | null>(null)
  const [restored, setRestored] = useState<number | null>(null)
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
        // Opened for a seminar, the note is for that seminar, whatever the draft said.
        setFields({ ...fieldsOf(d), ...(seminar ? { exchange: seminar } : {}) })
        setRestored(d.savedAt || Date.now())
      } else if (seminar) {
        setFields({ ...EMPTY, kind: 'essay', exchange: seminar })
      }
      setReady(true)
      return
    }
    getNote(paramId)
      .then((n) => {
        const d = readDraft(paramId)
        if (d && !sameAsNote(d, n)) {
          setFields(fieldsOf(d))
          setVersion(d.version ?? n.version)
          setRestored(d.savedAt || Date.now())
        } else {
          // The link is kept on an edit even if its session's title cannot be read: an edit that leaves it out unlinks.
          const exchange = n.sessionId ? { sessionId: n.sessionId, title: n.exchange?.title || '专题学习研讨' } : null
          setFields({ kind: n.kind, title: n.title, source: n.source ?? '', content: n.content, exchange })
          setVersion(n.version)
        }
        setReady(true)
      })
      .catch((err: unknown) => {
        // Offline with a draft: still let the member write on.
        const d = readDraft(paramId)
        if (d && err instanceof ApiError && err.code === 'NETWORK') {
          setFields(fieldsOf(d))
          setVersion(d.version)
          setRestored(d.savedAt || Date.now())
          setReady(true)
          return
        }
        setLoadError(err instanceof ApiError ? err : new ApiError('INTERNAL'))
      })
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [paramId, seminar?.sessionId])

  useEffect(() => {
    load()
  }, [load])

  const draftOf = useCallback(
    (f: Fields): Omit<NoteDraft, 'savedAt'> => {
      const d: Omit<NoteDraft, 'savedAt'> = { kind: f.kind, title: f.title, source: f.source, content: f.content, ...(f.exchange ? { exchange: f.exchange } : {}) }
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
            ...(f.exchange ? { sessionId: f.exchange.sessionId } : {}),
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

  return {
    noteId,
    fields,
    ready,
    loadError,
    load,
    restored,
    saved,
    conflict,
    storageFailed,
    act,
    update,
    save: () => doSave(),
    keepMine,
    takeStored
  }
}
