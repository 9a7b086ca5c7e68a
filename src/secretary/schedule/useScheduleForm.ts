import { useEffect, useMemo, useState } from 'react'
import Taro from '@tarojs/taro'
import { members as fetchMembers, tree as fetchTree } from '../../api/org'
import { newClientId } from '../../api/drafts'
import { createSession, getSession, updateSession, type Session, type SessionAudience, type SessionType } from '../../api/sessions'
import { useAction } from '../../hooks/useAction'
import { useMe } from '../../hooks/useMe'
import { useRequest } from '../../hooks/useRequest'
import { useSessionParam } from '../../hooks/useSessionParam'
import { audienceFor, defaultTitle, formOf, groupsOf, initialForm, toSubmission, type Form } from './form'

/** What was saved, for the confirmation screen. */
export interface Saved {
  sessions: Session[]
  /** The server's notes on a series, e.g. a month without a 31st. */
  notices: string[]
  edited: boolean
}

/**
 * The schedule form's state and what it loads: the session being edited
 * (with ?id=), the branch's 党小组 and, for a chosen list or a 党课's
 * lecturer, its members. The setters keep linked fields in step (a 支委会 is
 * for the committee; an untouched title follows the type and date).
 */
export function useScheduleForm() {
  const editId = useSessionParam()
  const { me } = useMe()
  const branchId = me ? me.member.branchId : null
  const [f, setF] = useState<Form>(initialForm)
  const [done, setDone] = useState<Saved | null>(null)
  // One id per form, kept across its retries (a double tap, a lost reply): the server makes
  // the same clientId one session or one series. A fresh form (again) gets a fresh id.
  const [clientId, setClientId] = useState(newClientId)
  const act = useAction()

  const existing = useRequest(editId ? `edit:${editId}` : null, () => getSession(editId))
  const orgTree = useRequest(branchId ? `tree:${branchId}` : null, () => fetchTree(branchId as string))
  // One load serves both the ticked list and the 党课 lecturer: the key does not depend on which needs it.
  const needPeople = f.audience === 'list' || f.type === 'party_lecture'
  const people = useRequest(branchId && needPeople ? `members:${branchId}` : null, () => fetchMembers(branchId as string))
  const groups = useMemo(() => groupsOf(orgTree.data, branchId ?? ''), [orgTree.data, branchId])

  useEffect(() => {
    if (existing.data) setF(formOf(existing.data))
  }, [existing.data])

  const set = <K extends keyof Form>(key: K, value: Form[K]) => setF((prev) => ({ ...prev, [key]: value }))

  /** A 党小组会 needs a group: the first one is offered rather than leaving the form invalid. */
  const firstGroupIfNeeded = (prev: Form, audience: SessionAudience['kind']) =>
    audience === 'group' && !prev.groupId && groups[0] ? groups[0]._id : prev.groupId

  const setType = (type: SessionType) =>
    setF((prev) => {
      const audience = audienceFor(type, prev.audience)
      return {
        ...prev,
        type,
        audience,
        groupId: firstGroupIfNeeded(prev, audience),
        title: prev.titleTouched ? prev.title : defaultTitle(type, prev.date)
      }
    })

  const setAudience = (audience: SessionAudience['kind']) =>
    setF((prev) => ({ ...prev, audience, groupId: firstGroupIfNeeded(prev, audience) }))

  const setTitle = (title: string) => setF((prev) => ({ ...prev, title, titleTouched: true }))

  const setDate = (date: string) =>
    setF((prev) => ({ ...prev, date, title: prev.titleTouched ? prev.title : defaultTitle(prev.type, date) }))

  /** weapp: the venue from the map picker; its name fills an empty venue field. */
  const pickPlace = async () => {
    try {
      const r = await Taro.chooseLocation({})
      setF((prev) => ({
        ...prev,
        lat: String(r.latitude),
        lng: String(r.longitude),
        venueName: prev.venueName.trim() ? prev.venueName : (r.name || r.address || '').slice(0, 60)
      }))
    } catch (err) {
      const msg = String((err as { errMsg?: unknown })?.errMsg ?? '')
      if (!/cancel/i.test(msg)) act.setMessage('没能打开地图选点。请在设置里允许使用位置信息后再试。')
    }
  }

  const submit = async () => {
    if (act.busy || !branchId) return
    const editing = editId ? existing.data : undefined
    const out = toSubmission(f, branchId, editing)
    if ('error' in out) {
      act.setMessage(out.error)
      return
    }
    await act.run(async () => {
      if (out.kind === 'update') {
        const session = await updateSession(out.input)
        setDone({ sessions: [session], notices: [], edited: true })
      } else {
        const created = await createSession({ ...out.input, clientId })
        setDone({ sessions: created.sessions, notices: (created.notices ?? []).map((n) => n.message), edited: false })
      }
    }, '没有保存成功，请稍后再试')
  }

  /** After a save: a fresh form for the next session. */
  const again = () => {
    setDone(null)
    setF(initialForm())
    setClientId(newClientId())
  }

  return { editId, branchId, f, set, setType, setAudience, setTitle, setDate, pickPlace, submit, again, done, groups, people, existing, busy: act.busy, message: act.message }
}

export type ScheduleForm = ReturnType<typeof useScheduleForm>
