import { useMemo, useState } from 'react'
import { newClientId } from '../../api/drafts'
import { members } from '../../api/org'
import { previewReminder, sendReminder, type RemindPreview, type RemindResult, type RemindSend, type TemplateKey } from '../../api/remind'
import { listSessions, type Session } from '../../api/sessions'
import { draftFor } from '../../core/remind/templates'
import type { ReminderAudienceKind } from '../../core/schemas/reminder'
import { useAction } from '../../hooks/useAction'
import { useMe } from '../../hooks/useMe'
import { useRequest } from '../../hooks/useRequest'

const DAY = 24 * 60 * 60 * 1000
export const TITLE_MAX = 60
export const BODY_MAX = 500

export type TemplateChoice = TemplateKey | 'custom'
export type Step = 'compose' | 'preview' | 'done'

/** What each audience most likely wants said; picked only while the text is still a draft. */
const SUGGESTED: Partial<Record<ReminderAudienceKind, TemplateKey>> = {
  not_checked_in: 'session_soon',
  makeup_pending: 'makeup_due',
  behind_pace: 'notes_behind'
}

const SESSION_TEMPLATES: TemplateChoice[] = ['session_tomorrow', 'session_soon', 'makeup_due']

/** Sessions a reminder can be about: the last two weeks and the next two, nearest first. */
function nearby(list: Session[], now: number): Session[] {
  return list
    .filter((s) => s.status !== 'cancelled')
    .sort((a, b) => Math.abs(a.startAt - now) - Math.abs(b.startAt - now))
    .slice(0, 10)
}

export function useRemindForm() {
  const { me, loading: meLoading, error: meError, reload } = useMe()
  const branchId = me ? me.member.branchId : null
  const branchName = me ? me.branch.name : ''
  const [kind, setKind] = useState<ReminderAudienceKind>('branch')
  const [memberIds, setMemberIds] = useState<string[]>([])
  const [level, setLevel] = useState<'any' | 'red'>('any')
  const [sessionId, setSessionId] = useState<string | null>(null)
  const [template, setTemplate] = useState<TemplateChoice>('custom')
  const [title, setTitle] = useState('')
  const [body, setBody] = useState('')
  // The last text a template wrote: while unedited, a new choice may rewrite it.
  const [draft, setDraft] = useState<{ title: string; body: string } | null>(null)
  const [clientId, setClientId] = useState(() => newClientId())
  const [step, setStep] = useState<Step>('compose')
  const [preview, setPreview] = useState<RemindPreview | null>(null)
  const [result, setResult] = useState<RemindResult | null>(null)
  const action = useAction()

  const sessions = useRequest(branchId ? `remind-sessions:${branchId}` : null, () => {
    const now = Date.now()
    return listSessions(branchId as string, now - 14 * DAY, now + 14 * DAY).then((l) => nearby(l, now))
  })
  const people = useRequest(branchId && kind === 'members' ? `remind-people:${branchId}` : null, () => members(branchId as string))
  const session = useMemo(() => sessions.data?.find((s) => s._id === sessionId) ?? null, [sessions.data, sessionId])

  const untouched = !title.trim() && !body.trim()
  const isDraft = untouched || (draft !== null && draft.title === title && draft.body === body)

  const fill = (key: TemplateChoice, s: Session | null) => {
    if (key === 'custom') {
      setDraft(null)
      return
    }
    const text = draftFor(key, { sessionTitle: s?.title, startAt: s?.startAt, venue: s?.venue.name, branchName })
    setTitle(text.title)
    setBody(text.body)
    setDraft(text)
  }

  const chooseTemplate = (key: TemplateChoice) => {
    setTemplate(key)
    // 自己写 keeps what is there: clearing it would throw away the secretary's words.
    fill(key, session)
  }

  const chooseKind = (k: ReminderAudienceKind) => {
    setKind(k)
    setPreview(null)
    const suggested = SUGGESTED[k]
    if (suggested && isDraft) {
      setTemplate(suggested)
      fill(suggested, session)
    }
  }

  const chooseSession = (id: string | null) => {
    setSessionId(id)
    setPreview(null)
    const s = sessions.data?.find((x) => x._id === id) ?? null
    if (SESSION_TEMPLATES.includes(template) && isDraft) fill(template, s)
  }

  /** What to fix first, in plain words; empty when the form can go. */
  const problem = (): string => {
    if (!branchId) return '还没有读到您的支部，请稍后再试'
    if (kind === 'not_checked_in' && !sessionId) return '请先选择是哪一场活动'
    if (kind === 'members' && memberIds.length === 0) return '请至少选择一位党员'
    if (!title.trim()) return '请写上标题'
    if (!body.trim()) return '请写上提醒的内容'
    if (title.length > TITLE_MAX) return `标题最多 ${TITLE_MAX} 个字`
    if (body.length > BODY_MAX) return `内容最多 ${BODY_MAX} 个字`
    return ''
  }

  const input = (): RemindSend => {
    const audience: RemindSend['audience'] = { kind }
    if (kind === 'members') audience.memberIds = memberIds
    if ((kind === 'not_checked_in' || kind === 'makeup_pending') && sessionId) audience.sessionId = sessionId
    if (kind === 'warned' && level === 'red') audience.level = 'red'
    const out: RemindSend = { branchId: branchId as string, audience, title, body, clientId }
    if (template !== 'custom') out.template = template
    // The inbox opens the session it is about.
    if (sessionId && (kind === 'not_checked_in' || kind === 'makeup_pending' || SESSION_TEMPLATES.includes(template))) out.sessionId = sessionId
    return out
  }

  const toPreview = () => {
    const p = problem()
    if (p) {
      action.setMessage(p)
      return
    }
    void action.run(async () => {
      setPreview(await previewReminder(input()))
      setStep('preview')
    }, '没有查到要提醒的人，请稍后再试')
  }

  const send = () => {
    void action.run(async () => {
      setResult(await sendReminder(input()))
      setStep('done')
    }, '没有发送成功，请稍后再试。再点一次不会重复发送。')
  }

  const back = () => {
    action.setMessage('')
    setStep('compose')
  }

  /** Another reminder: a fresh clientId, so it is not taken for a resend of the last one. */
  const again = () => {
    setClientId(newClientId())
    setResult(null)
    setPreview(null)
    setTitle('')
    setBody('')
    setDraft(null)
    setTemplate('custom')
    setStep('compose')
  }

  return {
    me,
    meLoading,
    meError,
    reload,
    branchId,
    kind,
    chooseKind,
    memberIds,
    setMemberIds,
    level,
    setLevel,
    sessions,
    sessionId,
    chooseSession,
    people,
    template,
    chooseTemplate,
    title,
    setTitle,
    body,
    setBody,
    step,
    preview,
    result,
    action,
    toPreview,
    send,
    back,
    again
  }
}

export type RemindForm = ReturnType<typeof useRemindForm>
