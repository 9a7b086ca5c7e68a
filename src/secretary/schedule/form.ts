/**
 * The schedule form as plain data: its fields, its starting values (new or
 * from a session being edited), and the checks and mapping that turn it into
 * a session.create or session.update input. No React here, so the rules can
 * be read (and tested) on their own; useScheduleForm holds the state.
 */
import type { OrgNode } from '../../api/org'
import type { Recurrence, Session, SessionAudience, SessionCreate, SessionType, SessionUpdate } from '../../api/sessions'
import { periodKeysOf } from '../../core/period'
import { DEFAULT_GEOFENCE_RADIUS_M, SESSION_TYPE_LABELS } from '../../core/vocab/session'
import { dateValue, dayParts, shanghaiEpoch, timeValue } from '../lib/time'

const IS_H5 = process.env.TARO_ENV === 'h5'
const MIN = 60 * 1000
const DAY = 24 * 60 * MIN

export type Repeat = 'none' | 'month' | 'week'

/** Every field as the inputs hold it: text stays text until the form is checked. */
export interface Form {
  type: SessionType
  title: string
  /** Once the secretary edits the title, a change of type or date no longer rewrites it. */
  titleTouched: boolean
  date: string
  start: string
  end: string
  venueName: string
  useFence: boolean
  lat: string
  lng: string
  radius: string
  audience: SessionAudience['kind']
  groupId: string
  memberIds: string[]
  /** 党课 only; '' when nobody is named. Kept through a change of type so switching back restores it. */
  lecturerId: string
  allowOnline: boolean
  repeat: Repeat
  untilYearEnd: boolean
  count: string
  description: string
}

/** "11月主题党日": the title offered until the secretary writes one. */
export function defaultTitle(type: SessionType, date: string): string {
  const month = Number(date.slice(5, 7))
  const label = SESSION_TYPE_LABELS[type]
  return month ? `${month}月${label}` : label
}

/** 支委会 is for the committee and 党小组会 for a group; other types fall back to the whole branch. */
export function audienceFor(type: SessionType, current: SessionAudience['kind']): SessionAudience['kind'] {
  if (type === 'committee_meeting') return 'committee'
  if (type === 'group_meeting') return 'group'
  return current === 'committee' || current === 'group' ? 'branch' : current
}

/** A new session: tomorrow afternoon, a 主题党日 for the whole branch. */
export function initialForm(now = Date.now()): Form {
  const date = dateValue(now + DAY)
  return {
    type: 'theme_day',
    title: defaultTitle('theme_day', date),
    titleTouched: false,
    date,
    start: '14:00',
    end: '16:00',
    venueName: '',
    useFence: false,
    lat: '',
    lng: '',
    radius: String(DEFAULT_GEOFENCE_RADIUS_M),
    audience: 'branch',
    groupId: '',
    memberIds: [],
    lecturerId: '',
    allowOnline: false,
    repeat: 'none',
    untilYearEnd: false,
    count: '12',
    description: ''
  }
}

/** The form filled from one occurrence being edited (editing never repeats it). */
export function formOf(s: Session): Form {
  const fence = s.venue.geofence
  return {
    type: s.type,
    title: s.title,
    titleTouched: true,
    date: dateValue(s.startAt),
    start: timeValue(s.startAt),
    end: timeValue(s.endAt),
    venueName: s.venue.name,
    useFence: !!fence,
    lat: fence ? String(fence.lat) : '',
    lng: fence ? String(fence.lng) : '',
    radius: String(fence?.radiusM ?? DEFAULT_GEOFENCE_RADIUS_M),
    audience: s.audience.kind,
    groupId: s.audience.groupId ?? '',
    memberIds: s.audience.memberIds ?? [],
    lecturerId: s.lecturerId ?? '',
    allowOnline: !!s.allowOnlineWithoutQr,
    repeat: 'none',
    untilYearEnd: false,
    count: '12',
    description: s.description ?? ''
  }
}

/** The 党小组 under the branch, found in the org tree. */
export function groupsOf(roots: OrgNode[] | undefined, branchId: string): OrgNode[] {
  const find = (nodes: OrgNode[]): OrgNode | undefined => {
    for (const n of nodes) {
      if (n._id === branchId) return n
      const hit = find(n.children)
      if (hit) return hit
    }
    return undefined
  }
  const branch = roots ? find(roots) : undefined
  return branch ? branch.children.filter((c) => c.type === 'group') : []
}

/** Months left in the Shanghai year from the date's month, for "到年底" hints. */
export function occurrencesToYearEnd(date: string, repeat: Repeat): number {
  const startAt = shanghaiEpoch(date)
  if (!Number.isFinite(startAt)) return 0
  const year = Number(periodKeysOf(startAt).year)
  const end = shanghaiEpoch(`${year}-12-31`, '23:59')
  if (repeat === 'month') return 12 - Number(date.slice(5, 7)) + 1
  return Math.floor((end - startAt) / (7 * DAY)) + 1
}

/** The lecturer to send: session.create refuses one on anything but a 党课. */
export function lecturerOf(f: Form): string | undefined {
  return f.type === 'party_lecture' && f.lecturerId ? f.lecturerId : undefined
}

type Checked<T> = { ok: T; error?: undefined } | { ok?: undefined; error: string }

function checkTimes(f: Form): Checked<{ startAt: number; endAt: number }> {
  const startAt = shanghaiEpoch(f.date, f.start)
  const endAt = shanghaiEpoch(f.date, f.end)
  if (!Number.isFinite(startAt) || !Number.isFinite(endAt)) return { error: '请选择日期和开始、结束时间' }
  if (endAt <= startAt) return { error: '结束时间要晚于开始时间' }
  return { ok: { startAt, endAt } }
}

function checkVenue(f: Form): Checked<SessionCreate['venue']> {
  const name = f.venueName.trim()
  if (!name) return { error: '请填写活动地点，例如“三楼党员活动室”' }
  if (name.length > 60) return { error: '活动地点最多 60 个字' }
  if (!f.useFence) return { ok: { name } }
  const lat = Number(f.lat)
  const lng = Number(f.lng)
  const radiusM = Math.round(Number(f.radius || DEFAULT_GEOFENCE_RADIUS_M))
  if (!f.lat || !f.lng || !Number.isFinite(lat) || !Number.isFinite(lng) || Math.abs(lat) > 90 || Math.abs(lng) > 180) {
    return { error: IS_H5 ? '请填写会场的纬度和经度（例如 39.9087 和 116.3975）' : '请先在地图上选好会场位置' }
  }
  if (!Number.isFinite(radiusM) || radiusM < 50 || radiusM > 5000) return { error: '签到范围请填 50 到 5000 米' }
  return { ok: { name, geofence: { lat, lng, radiusM } } }
}

function checkAudience(f: Form): Checked<SessionAudience> {
  if (f.audience === 'group') {
    if (!f.groupId) return { error: '请选择参加的党小组' }
    return { ok: { kind: 'group', groupId: f.groupId } }
  }
  if (f.audience === 'list') {
    if (f.memberIds.length === 0) return { error: '请至少选择一位参加的党员' }
    return { ok: { kind: 'list', memberIds: f.memberIds } }
  }
  return { ok: { kind: f.audience } }
}

function checkRecurrence(f: Form): Checked<Recurrence | null> {
  if (f.repeat === 'none') return { ok: null }
  const parts = dayParts(f.date)
  if (!parts) return { error: '请选择日期' }
  const max = f.repeat === 'month' ? 12 : 53
  const base: Recurrence =
    f.repeat === 'month' ? { every: 'month', dayOfMonth: parts.day } : { every: 'week', weekday: parts.weekday }
  if (f.untilYearEnd) {
    if (occurrencesToYearEnd(f.date, f.repeat) < 2) return { error: '到年底只剩这一次了，请选“不重复”' }
    return { ok: { ...base, until: 'year_end' } }
  }
  const count = Number(f.count)
  if (!Number.isInteger(count) || count < 2 || count > max) return { error: `重复次数请填 2 到 ${max} 次` }
  return { ok: { ...base, count } }
}

export type Submission =
  | { error: string }
  | { kind: 'create'; input: SessionCreate }
  | { kind: 'update'; input: SessionUpdate }

/**
 * Checks the form top to bottom and says the first problem in plain words,
 * or gives the input to send: session.update when editing `editing` (one
 * occurrence, never repeated), else session.create for the branch.
 */
export function toSubmission(f: Form, branchId: string, editing?: Session): Submission {
  const title = f.title.trim()
  if (!title) return { error: '请填写活动名称' }
  if (title.length > 60) return { error: '活动名称最多 60 个字' }
  const times = checkTimes(f)
  const venue = checkVenue(f)
  const audience = checkAudience(f)
  const rec = editing ? { ok: null } : checkRecurrence(f)
  const error = times.error || venue.error || audience.error || rec.error
  if (error || !times.ok || !venue.ok || !audience.ok) return { error: error || '请检查填写的内容' }
  const { startAt, endAt } = times.ok
  const description = f.description.trim() ? f.description : undefined
  const lecturerId = lecturerOf(f)
  const common = {
    title,
    type: f.type,
    startAt,
    endAt,
    venue: venue.ok,
    audience: audience.ok,
    allowOnlineWithoutQr: f.allowOnline,
    ...(description ? { description } : {})
  }
  if (editing) {
    const timesChanged = editing.startAt !== startAt || editing.endAt !== endAt
    // Sent only when it changes: a tallied session refuses any change of lecturer. null removes
    // the stored one, which also has to happen when a 党课 becomes another type.
    const lecturerChanged = (lecturerId ?? null) !== (editing.lecturerId ?? null)
    return {
      kind: 'update',
      input: {
        sessionId: editing._id,
        ...common,
        ...(lecturerChanged ? { lecturerId: lecturerId ?? null } : {}),
        // New times take the default window: opens 30 min before, late after 10 min, closes at the end.
        ...(timesChanged ? { checkin: { opensAt: startAt - 30 * MIN, closesAt: endAt, lateAfter: Math.min(startAt + 10 * MIN, endAt) } } : {})
      }
    }
  }
  return {
    kind: 'create',
    input: { branchId, ...common, ...(lecturerId ? { lecturerId } : {}), ...(rec.ok ? { recurrence: rec.ok } : {}) }
  }
}
