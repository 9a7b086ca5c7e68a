import { useEffect, useMemo, useState, type ReactNode } from 'react'
import { Button, Input, Picker, Switch, Text, Textarea, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { members as fetchMembers, tree as fetchTree, type MemberSummary, type OrgNode } from '../../api/org'
import {
  createSession,
  getSession,
  updateSession,
  type Recurrence,
  type Session,
  type SessionAudience,
  type SessionCreate,
  type SessionType
} from '../../api/sessions'
import StatusBlock from '../../components/StatusBlock'
import { AUDIENCE_LABELS } from '../../components/audience'
import { errorText } from '../../components/errorText'
import { whenText } from '../../components/format'
import { periodKeysOf } from '../../core/period'
import { DEFAULT_GEOFENCE_RADIUS_M, SESSION_TYPES, SESSION_TYPE_LABELS } from '../../core/schemas/session'
import { useMe } from '../../hooks/useMe'
import { useRequest } from '../../hooks/useRequest'
import { useSessionParam } from '../../hooks/useSessionParam'
import MemberPicker from '../components/MemberPicker'
import { WEEKDAY_NAMES, dateValue, dayParts, shanghaiEpoch, timeValue } from '../lib/time'
import './index.scss'

const IS_H5 = process.env.TARO_ENV === 'h5'
const MIN = 60 * 1000
const DAY = 24 * 60 * MIN

const TYPE_LABELS = SESSION_TYPES.map((t) => SESSION_TYPE_LABELS[t])
const AUDIENCE_KINDS: SessionAudience['kind'][] = ['branch', 'committee', 'group', 'list']

type Repeat = 'none' | 'month' | 'week'

interface Form {
  type: SessionType
  title: string
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
  allowOnline: boolean
  repeat: Repeat
  untilYearEnd: boolean
  count: string
  description: string
}

function defaultTitle(type: SessionType, date: string): string {
  const month = Number(date.slice(5, 7))
  const label = SESSION_TYPE_LABELS[type]
  return month ? `${month}月${label}` : label
}

function audienceFor(type: SessionType, current: SessionAudience['kind']): SessionAudience['kind'] {
  if (type === 'committee_meeting') return 'committee'
  if (type === 'group_meeting') return 'group'
  return current === 'committee' || current === 'group' ? 'branch' : current
}

function initialForm(): Form {
  const date = dateValue(Date.now() + DAY)
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
    allowOnline: false,
    repeat: 'none',
    untilYearEnd: false,
    count: '12',
    description: ''
  }
}

function formOf(s: Session): Form {
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
    allowOnline: !!s.allowOnlineWithoutQr,
    repeat: 'none',
    untilYearEnd: false,
    count: '12',
    description: s.description ?? ''
  }
}

function groupsOf(roots: OrgNode[] | undefined, branchId: string): OrgNode[] {
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
function occurrencesToYearEnd(date: string, repeat: Repeat): number {
  const startAt = shanghaiEpoch(date)
  if (!Number.isFinite(startAt)) return 0
  const year = Number(periodKeysOf(startAt).year)
  const end = shanghaiEpoch(`${year}-12-31`, '23:59')
  if (repeat === 'month') return 12 - Number(date.slice(5, 7)) + 1
  return Math.floor((end - startAt) / (7 * DAY)) + 1
}

interface Checked {
  error?: string
  startAt?: number
  endAt?: number
}

function checkTimes(f: Form): Checked {
  const startAt = shanghaiEpoch(f.date, f.start)
  const endAt = shanghaiEpoch(f.date, f.end)
  if (!Number.isFinite(startAt) || !Number.isFinite(endAt)) return { error: '请选择日期和开始、结束时间' }
  if (endAt <= startAt) return { error: '结束时间要晚于开始时间' }
  return { startAt, endAt }
}

function buildVenue(f: Form): { venue?: SessionCreate['venue']; error?: string } {
  const name = f.venueName.trim()
  if (!name) return { error: '请填写活动地点，例如“三楼党员活动室”' }
  if (name.length > 60) return { error: '活动地点最多 60 个字' }
  if (!f.useFence) return { venue: { name } }
  const lat = Number(f.lat)
  const lng = Number(f.lng)
  const radiusM = Math.round(Number(f.radius || DEFAULT_GEOFENCE_RADIUS_M))
  if (!f.lat || !f.lng || !Number.isFinite(lat) || !Number.isFinite(lng) || Math.abs(lat) > 90 || Math.abs(lng) > 180) {
    return { error: IS_H5 ? '请填写会场的纬度和经度（例如 39.9087 和 116.3975）' : '请先在地图上选好会场位置' }
  }
  if (!Number.isFinite(radiusM) || radiusM < 50 || radiusM > 5000) return { error: '签到范围请填 50 到 5000 米' }
  return { venue: { name, geofence: { lat, lng, radiusM } } }
}

function buildAudience(f: Form): { audience?: SessionAudience; error?: string } {
  if (f.audience === 'group') {
    if (!f.groupId) return { error: '请选择参加的党小组' }
    return { audience: { kind: 'group', groupId: f.groupId } }
  }
  if (f.audience === 'list') {
    if (f.memberIds.length === 0) return { error: '请至少选择一位参加的党员' }
    return { audience: { kind: 'list', memberIds: f.memberIds } }
  }
  return { audience: { kind: f.audience } }
}

function buildRecurrence(f: Form): { recurrence?: Recurrence; error?: string } {
  if (f.repeat === 'none') return {}
  const parts = dayParts(f.date)
  if (!parts) return { error: '请选择日期' }
  const max = f.repeat === 'month' ? 12 : 53
  const base: Recurrence =
    f.repeat === 'month' ? { every: 'month', dayOfMonth: parts.day } : { every: 'week', weekday: parts.weekday }
  if (f.untilYearEnd) {
    if (occurrencesToYearEnd(f.date, f.repeat) < 2) return { error: '到年底只剩这一次了，请选“不重复”' }
    return { recurrence: { ...base, until: 'year_end' } }
  }
  const count = Number(f.count)
  if (!Number.isInteger(count) || count < 2 || count > max) return { error: `重复次数请填 2 到 ${max} 次` }
  return { recurrence: { ...base, count } }
}

function Field({ label, children, hint }: { label: string; children: ReactNode; hint?: string }) {
  return (
    <View className='form-field'>
      <Text className='form-label'>{label}</Text>
      {children}
      {hint ? <Text className='form-hint'>{hint}</Text> : null}
    </View>
  )
}

function Chips<T extends string>({ options, value, onChange, className }: { options: { value: T; label: string }[]; value: T; onChange: (v: T) => void; className: string }) {
  return (
    <View className={`form-chips ${className}`}>
      {options.map((o) => (
        <Text
          key={o.value}
          className={`form-chip${o.value === value ? ' form-chip--on' : ''}`}
          data-value={o.value}
          onClick={() => onChange(o.value)}
        >
          {o.label}
        </Text>
      ))}
    </View>
  )
}

/** 安排活动: schedule one session or a repeating series; with ?id= edits one occurrence. */
export default function Schedule() {
  const editId = useSessionParam()
  const { me } = useMe()
  const branchId = me ? me.member.branchId : null
  const [f, setF] = useState<Form>(initialForm)
  const [busy, setBusy] = useState(false)
  const [message, setMessage] = useState('')
  const [done, setDone] = useState<{ sessions: Session[]; notices: string[]; edited: boolean } | null>(null)

  const existing = useRequest(editId ? `edit:${editId}` : null, () => getSession(editId))
  const orgTree = useRequest(branchId ? `tree:${branchId}` : null, () => fetchTree(branchId as string))
  const people = useRequest(branchId && f.audience === 'list' ? `members:${branchId}` : null, () => fetchMembers(branchId as string))
  const groups = useMemo(() => groupsOf(orgTree.data, branchId ?? ''), [orgTree.data, branchId])

  useEffect(() => {
    if (existing.data) setF(formOf(existing.data))
  }, [existing.data])

  const set = <K extends keyof Form>(key: K, value: Form[K]) => setF((prev) => ({ ...prev, [key]: value }))

  const setType = (type: SessionType) =>
    setF((prev) => {
      const audience = audienceFor(type, prev.audience)
      return {
        ...prev,
        type,
        audience,
        groupId: audience === 'group' && !prev.groupId && groups[0] ? groups[0]._id : prev.groupId,
        title: prev.titleTouched ? prev.title : defaultTitle(type, prev.date)
      }
    })

  const setDate = (date: string) =>
    setF((prev) => ({ ...prev, date, title: prev.titleTouched ? prev.title : defaultTitle(prev.type, date) }))

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
      if (!/cancel/i.test(msg)) setMessage('没能打开地图选点。请在设置里允许使用位置信息后再试。')
    }
  }

  const submit = async () => {
    if (busy || !branchId) return
    const title = f.title.trim()
    const times = checkTimes(f)
    const venue = buildVenue(f)
    const audience = buildAudience(f)
    const rec = editId ? {} : buildRecurrence(f)
    const problem = !title
      ? '请填写活动名称'
      : title.length > 60
        ? '活动名称最多 60 个字'
        : times.error || venue.error || audience.error || rec.error
    if (problem) {
      setMessage(problem)
      return
    }
    const startAt = times.startAt as number
    const endAt = times.endAt as number
    setBusy(true)
    setMessage('')
    try {
      const description = f.description.trim() ? f.description : undefined
      if (editId && existing.data) {
        const old = existing.data
        const timesChanged = old.startAt !== startAt || old.endAt !== endAt
        const session = await updateSession({
          sessionId: editId,
          title,
          type: f.type,
          startAt,
          endAt,
          venue: venue.venue!,
          audience: audience.audience!,
          allowOnlineWithoutQr: f.allowOnline,
          ...(description ? { description } : {}),
          // New times take the default window: opens 30 min before, late after 10 min, closes at the end.
          ...(timesChanged ? { checkin: { opensAt: startAt - 30 * MIN, closesAt: endAt, lateAfter: Math.min(startAt + 10 * MIN, endAt) } } : {})
        })
        setDone({ sessions: [session], notices: [], edited: true })
      } else {
        const out = await createSession({
          branchId,
          title,
          type: f.type,
          startAt,
          endAt,
          venue: venue.venue!,
          audience: audience.audience!,
          allowOnlineWithoutQr: f.allowOnline,
          ...(description ? { description } : {}),
          ...(rec.recurrence ? { recurrence: rec.recurrence } : {})
        })
        setDone({ sessions: out.sessions, notices: (out.notices ?? []).map((n) => n.message), edited: false })
      }
    } catch (err) {
      setMessage(errorText(err, '没有保存成功，请稍后再试'))
    } finally {
      setBusy(false)
    }
  }

  if (editId && !existing.data) {
    return (
      <View className='page schedule-page'>
        <StatusBlock loading={existing.loading} error={existing.error} onRetry={existing.retry} />
      </View>
    )
  }

  if (done) {
    const first = done.sessions[0]
    return (
      <View className='page schedule-page'>
        <View className='schedule-done' data-count={done.sessions.length} data-session-id={first._id}>
          <Text className='schedule-done-title'>
            {done.edited ? '已保存修改' : done.sessions.length > 1 ? `已安排 ${done.sessions.length} 场活动` : '已安排好了'}
          </Text>
          {done.sessions.slice(0, 12).map((s) => (
            <Text key={s._id} className='schedule-done-line' data-session-id={s._id}>
              {whenText(s.startAt, s.endAt)} {s.title}
            </Text>
          ))}
          {done.sessions.length > 12 ? <Text className='schedule-done-line'>……共 {done.sessions.length} 场</Text> : null}
          {done.notices.map((n) => (
            <Text key={n} className='schedule-done-notice'>
              {n}
            </Text>
          ))}
          <Text className='schedule-done-line'>党员在“签到”页就能看到。活动当天请在活动列表里打开“签到大屏”。</Text>
        </View>
        <Button className='schedule-go-list' onClick={() => Taro.redirectTo({ url: '/secretary/sessions/index' })}>
          查看活动列表
        </Button>
        <Button
          className='schedule-go-qr'
          onClick={() => Taro.navigateTo({ url: `/secretary/qr/index?id=${encodeURIComponent(first._id)}` })}
        >
          打开签到大屏
        </Button>
        {!done.edited ? (
          <Button
            className='schedule-again'
            onClick={() => {
              setDone(null)
              setF(initialForm())
            }}
          >
            再安排一场
          </Button>
        ) : null}
      </View>
    )
  }

  const parts = dayParts(f.date)
  const typeIndex = Math.max(0, SESSION_TYPES.indexOf(f.type))
  const groupIndex = Math.max(0, groups.findIndex((g) => g._id === f.groupId))
  const toYearEnd = f.repeat === 'none' ? 0 : occurrencesToYearEnd(f.date, f.repeat)

  return (
    <View className='page schedule-page'>
      <Text className='page-title'>{editId ? '修改活动' : '安排活动'}</Text>
      {editId ? <Text className='page-lead'>只修改这一场，同一系列的其他场次不变。</Text> : null}

      <Field label='活动类型'>
        <Picker mode='selector' range={TYPE_LABELS} value={typeIndex} onChange={(e) => setType(SESSION_TYPES[Number(e.detail.value)])}>
          <View className='form-picker schedule-type' data-value={f.type}>
            {SESSION_TYPE_LABELS[f.type]}
          </View>
        </Picker>
      </Field>

      <Field label='活动名称'>
        <Input
          className='form-input schedule-title-input'
          value={f.title}
          maxlength={60}
          placeholder='例如：11月主题党日'
          onInput={(e) => setF((prev) => ({ ...prev, title: e.detail.value, titleTouched: true }))}
        />
      </Field>

      <Field label='日期'>
        <Picker mode='date' value={f.date} onChange={(e) => setDate(String(e.detail.value))}>
          <View className='form-picker schedule-date' data-value={f.date}>
            {f.date}
            {parts ? ` ${WEEKDAY_NAMES[parts.weekday]}` : ''}
          </View>
        </Picker>
      </Field>

      <View className='form-row'>
        <Field label='开始'>
          <Picker mode='time' value={f.start} onChange={(e) => set('start', String(e.detail.value))}>
            <View className='form-picker schedule-start' data-value={f.start}>
              {f.start}
            </View>
          </Picker>
        </Field>
        <Field label='结束'>
          <Picker mode='time' value={f.end} onChange={(e) => set('end', String(e.detail.value))}>
            <View className='form-picker schedule-end' data-value={f.end}>
              {f.end}
            </View>
          </Picker>
        </Field>
      </View>
      <Text className='form-hint'>签到从开始前 30 分钟开放，开始 10 分钟后签到记为迟到，活动结束时关闭。</Text>

      <Field label='活动地点'>
        <Input
          className='form-input schedule-venue-input'
          value={f.venueName}
          maxlength={60}
          placeholder='例如：三楼党员活动室'
          onInput={(e) => set('venueName', e.detail.value)}
        />
      </Field>

      <View className='form-switch-row'>
        <View className='form-switch-text'>
          <Text className='form-label'>只允许在会场附近签到</Text>
          <Text className='form-hint'>打开后，党员签到时会确认是否在会场范围内。</Text>
        </View>
        <Switch className='schedule-fence-switch' checked={f.useFence} color='#c8102e' onChange={(e) => set('useFence', e.detail.value)} />
      </View>
      {f.useFence ? (
        <View className='form-fence'>
          {IS_H5 ? (
            <View className='form-row'>
              <Field label='纬度'>
                <Input className='form-input schedule-lat-input' type='digit' value={f.lat} placeholder='39.9087' onInput={(e) => set('lat', e.detail.value)} />
              </Field>
              <Field label='经度'>
                <Input className='form-input schedule-lng-input' type='digit' value={f.lng} placeholder='116.3975' onInput={(e) => set('lng', e.detail.value)} />
              </Field>
            </View>
          ) : (
            <View className='form-field'>
              <Button className='form-button-plain schedule-pick-place' onClick={pickPlace}>
                {f.lat ? '重新在地图上选会场' : '在地图上选会场位置'}
              </Button>
              {f.lat ? (
                <Text className='form-hint'>
                  已选位置：{Number(f.lat).toFixed(5)}，{Number(f.lng).toFixed(5)}
                </Text>
              ) : null}
            </View>
          )}
          <Field label='签到范围（米）' hint='默认 200 米，大楼里 GPS 不准时可以放宽。'>
            <Input className='form-input schedule-radius-input' type='number' value={f.radius} onInput={(e) => set('radius', e.detail.value)} />
          </Field>
        </View>
      ) : null}

      <Field label='参加人员'>
        <Chips
          className='schedule-audience'
          value={f.audience}
          onChange={(v) =>
            setF((prev) => ({ ...prev, audience: v, groupId: v === 'group' && !prev.groupId && groups[0] ? groups[0]._id : prev.groupId }))
          }
          options={AUDIENCE_KINDS.filter((k) => k !== 'group' || groups.length > 0).map((k) => ({
            value: k,
            label: k === 'group' ? '一个党小组' : AUDIENCE_LABELS[k]
          }))}
        />
      </Field>
      {f.audience === 'group' && groups.length > 0 ? (
        <Field label='哪个党小组'>
          <Picker
            mode='selector'
            range={groups.map((g) => g.name)}
            value={groupIndex}
            onChange={(e) => set('groupId', groups[Number(e.detail.value)]._id)}
          >
            <View className='form-picker schedule-group' data-value={f.groupId}>
              {groups.find((g) => g._id === f.groupId)?.name ?? '请选择'}
            </View>
          </Picker>
        </Field>
      ) : null}
      {f.audience === 'list' ? (
        <View className='form-field'>
          <StatusBlock loading={people.loading} error={people.error} onRetry={people.retry} />
          {people.data ? (
            <MemberPicker
              items={people.data.map((m: MemberSummary) => ({ id: m._id, name: m.name }))}
              selected={f.memberIds}
              onChange={(ids) => set('memberIds', ids)}
            />
          ) : null}
        </View>
      ) : null}

      <View className='form-switch-row'>
        <View className='form-switch-text'>
          <Text className='form-label'>允许线上签到</Text>
          <Text className='form-hint'>不在会场的同志（如线上参会）不扫码也能签到。</Text>
        </View>
        <Switch className='schedule-online-switch' checked={f.allowOnline} color='#c8102e' onChange={(e) => set('allowOnline', e.detail.value)} />
      </View>

      {!editId ? (
        <Field label='重复'>
          <Chips
            className='schedule-repeat'
            value={f.repeat}
            onChange={(v) => set('repeat', v)}
            options={[
              { value: 'none' as Repeat, label: '不重复' },
              { value: 'month' as Repeat, label: parts ? `每月 ${parts.day} 日` : '每月' },
              { value: 'week' as Repeat, label: parts ? `每${WEEKDAY_NAMES[parts.weekday]}` : '每周' }
            ]}
          />
          {f.repeat !== 'none' ? (
            <View className='form-repeat'>
              <Chips
                className='schedule-repeat-until'
                value={f.untilYearEnd ? 'year_end' : 'count'}
                onChange={(v) => set('untilYearEnd', v === 'year_end')}
                options={[
                  { value: 'count', label: '按次数' },
                  { value: 'year_end', label: `到年底（约 ${toYearEnd} 次）` }
                ]}
              />
              {!f.untilYearEnd ? (
                <View className='form-count'>
                  <Text className='form-label'>一共安排</Text>
                  <Input
                    className='form-input form-input--short schedule-count-input'
                    type='number'
                    value={f.count}
                    onInput={(e) => set('count', e.detail.value)}
                  />
                  <Text className='form-label'>次（含这一次）</Text>
                </View>
              ) : null}
              {f.repeat === 'month' && parts && parts.day > 28 ? (
                <Text className='form-hint'>没有 {parts.day} 日的月份，会安排在当月最后一天。</Text>
              ) : null}
            </View>
          ) : null}
        </Field>
      ) : null}

      <Field label='活动内容（可不填）'>
        <Textarea
          className='form-textarea schedule-desc-input'
          value={f.description}
          maxlength={500}
          placeholder='例如：学习《中国共产党纪律处分条例》，每人交流发言'
          onInput={(e) => set('description', e.detail.value)}
        />
      </Field>

      {message ? <Text className='form-error schedule-error'>{message}</Text> : null}
      <Button className='form-submit schedule-submit' loading={busy || undefined} disabled={busy || !branchId || undefined} onClick={submit}>
        {editId ? '保存修改' : '安排活动'}
      </Button>
    </View>
  )
}
