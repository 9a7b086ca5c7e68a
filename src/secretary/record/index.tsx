import { useMemo, useState } from 'react'
import { Button, Input, Picker, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { members as fetchMembers, tree as fetchTree, type MemberSummary } from '../../api/org'
import { recordSession, type SessionRecordResult, type SessionType } from '../../api/sessions'
import StatusBlock from '../../components/StatusBlock'
import { whenText } from '../../components/format'
import { withPageBoundary } from '../../components/PageBoundary'
import { FINAL_WORDS, sessionFiguresText } from '../../core/checkin/words'
import { SESSION_TYPES, SESSION_TYPE_LABELS } from '../../core/vocab/session'
import { useAction } from '../../hooks/useAction'
import { useLargeText } from '../../hooks/useLargeText'
import { useMe } from '../../hooks/useMe'
import { useRequest } from '../../hooks/useRequest'
import { dateValue, shanghaiEpoch } from '../lib/time'
import { Field } from '../schedule/fields'
import { defaultTitle, groupsOf } from '../schedule/form'
import MemberMarks, { type Entry } from './MemberMarks'
import './index.scss'

const DAY = 24 * 60 * 60 * 1000
/** How far back the date picker goes: the server's limit (src/core/checkin/late-records.ts, RECORD_BACK_DAYS). */
const BACK_DAYS = 30
const TYPE_LABELS = SESSION_TYPES.map((t) => SESSION_TYPE_LABELS[t])

/** The form's own id: a resend after a lost answer is the same meeting on the server. */
const newClientId = () => `rec_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`

/** Who the meeting expected: 支委会 the committee, 党小组会 one group, anything else the branch. */
function expectedOf(people: MemberSummary[], type: SessionType, branchId: string, groupId: string): MemberSummary[] {
  if (type === 'committee_meeting') return people.filter((p) => p.roles.some((r) => (r.role === 'secretary' || r.role === 'committee') && r.orgId === branchId))
  if (type === 'group_meeting') return people.filter((p) => p.groupId === groupId)
  return people
}

function Done({ out, onAgain }: { out: SessionRecordResult; onAgain: () => void }) {
  const c = out.counts
  return (
    <View className='record-done' data-session-id={out.session._id}>
      <Text className='record-done-title'>已补录</Text>
      <Text className='record-done-line'>{whenText(out.session.startAt, out.session.endAt)} {out.session.title}</Text>
      <Text className='record-done-line record-done-counts'>
        {sessionFiguresText({ expected: c.expected, present: c.attended + c.late })}：{FINAL_WORDS.attended} {c.attended}，{FINAL_WORDS.late} {c.late}，{FINAL_WORDS.leave} {c.leave}，{FINAL_WORDS.absent} {c.absent}
      </Text>
      <Text className='record-done-line'>出勤和积分已按这份名单计入，和在小程序签到的活动一样；台账中注明“补录”。</Text>
      <Button className='record-go-roster' onClick={() => Taro.redirectTo({ url: `/secretary/qr/index?id=${encodeURIComponent(out.session._id)}` })}>
        查看签到情况
      </Button>
      <Button className='record-again' onClick={onAgain}>
        再补录一场
      </Button>
    </View>
  )
}

/** 补录一场活动: a meeting held without the app (paper sign-in, no signal), with its attendance, in one go. */
function RecordMeeting() {
  const lt = useLargeText()
  const { me, error: meError, reload } = useMe()
  const branchId = me ? me.member.branchId : null
  const people = useRequest(branchId ? `members:${branchId}` : null, () => fetchMembers(branchId as string))
  const orgTree = useRequest(branchId ? `tree:${branchId}` : null, () => fetchTree(branchId as string))
  const groups = useMemo(() => groupsOf(orgTree.data, branchId ?? ''), [orgTree.data, branchId])

  const today = dateValue(Date.now())
  const [clientId, setClientId] = useState(newClientId)
  const [type, setType] = useState<SessionType>('theme_day')
  const [date, setDate] = useState(() => dateValue(Date.now() - DAY))
  const [title, setTitle] = useState(() => defaultTitle('theme_day', dateValue(Date.now() - DAY)))
  const [titleEdited, setTitleEdited] = useState(false)
  const [start, setStart] = useState('09:00')
  const [end, setEnd] = useState('11:00')
  const [venue, setVenue] = useState('')
  const [groupId, setGroupId] = useState('')
  const [entries, setEntries] = useState<Record<string, Entry>>({})
  const [out, setOut] = useState<SessionRecordResult | null>(null)
  const act = useAction()

  const group = groupId || groups[0]?._id || ''
  const expected = branchId ? expectedOf(people.data ?? [], type, branchId, group) : []
  const pickType = (t: SessionType) => {
    setType(t)
    if (!titleEdited) setTitle(defaultTitle(t, date))
  }
  const pickDate = (d: string) => {
    setDate(d)
    if (!titleEdited) setTitle(defaultTitle(type, d))
  }
  const again = () => {
    setOut(null)
    setEntries({})
    setClientId(newClientId())
  }

  const submit = () => {
    const startAt = shanghaiEpoch(date, start)
    const endAt = shanghaiEpoch(date, end)
    const list = expected.map((p) => ({ id: p._id, e: entries[p._id] })).filter((x) => x.e && x.e.mark !== 'absent')
    if (!title.trim()) return act.setMessage('请填写活动名称')
    if (!venue.trim()) return act.setMessage('请填写活动地点')
    if (!(endAt > startAt)) return act.setMessage('结束时间要晚于开始时间')
    if (endAt > Date.now()) return act.setMessage('这场活动还没有结束；还没开的活动请在“安排活动”里安排')
    if (type === 'group_meeting' && !group) return act.setMessage('本支部还没有党小组，不能补录党小组会')
    if (!list.some((x) => x.e.mark !== 'leave')) return act.setMessage('请按签到表标出出席的同志')
    const noReason = list.find((x) => x.e.mark === 'leave' && !x.e.reason.trim())
    if (noReason) return act.setMessage(`请写明${expected.find((p) => p._id === noReason.id)?.name ?? ''}的请假原因`)
    void act.run(async () => {
      const res = await recordSession({
        clientId,
        branchId: branchId as string,
        type,
        title: title.trim(),
        startAt,
        endAt,
        venue: { name: venue.trim() },
        ...(type === 'group_meeting' ? { audience: { kind: 'group' as const, groupId: group } } : {}),
        attendance: list.map(({ id, e }) =>
          e.mark === 'leave' ? { memberId: id, state: 'leave' as const, reason: e.reason.trim() } : { memberId: id, state: e.mark as 'attended' | 'late' }
        )
      })
      setOut(res)
    }, '没有补录成功，请稍后再试')
  }

  if (out) {
    return (
      <View className={`page record-page ${lt.className}`}>
        <Done out={out} onAgain={again} />
      </View>
    )
  }

  return (
    <View className={`page record-page ${lt.className}`}>
      <Text className='page-title'>补录一场活动</Text>
      <Text className='page-lead'>
        活动在线下开过、没有用小程序签到（比如用的纸质签到表、会场没有信号），可以在这里按签到表补录。补录后和在小程序签到的活动一样计入出勤和积分，台账中注明“补录”。只能补录结束不超过 {BACK_DAYS} 天的活动；已经在小程序里安排过的活动，请在活动列表里打开它，用“代签”和“补录请假”登记。
      </Text>
      {meError && !me ? <StatusBlock error={meError} onRetry={reload} /> : null}

      <Field label='活动类型'>
        <Picker mode='selector' range={TYPE_LABELS} value={Math.max(0, SESSION_TYPES.indexOf(type))} onChange={(e) => pickType(SESSION_TYPES[Number(e.detail.value)])}>
          <View className='form-picker record-type' data-value={type}>
            {SESSION_TYPE_LABELS[type]}
          </View>
        </Picker>
      </Field>
      {type === 'group_meeting' && groups.length > 0 ? (
        <Field label='哪个党小组'>
          <Picker mode='selector' range={groups.map((g) => g.name)} value={Math.max(0, groups.findIndex((g) => g._id === group))} onChange={(e) => setGroupId(groups[Number(e.detail.value)]._id)}>
            <View className='form-picker record-group' data-value={group}>
              {groups.find((g) => g._id === group)?.name ?? '请选择'}
            </View>
          </Picker>
        </Field>
      ) : null}
      <Field label='活动名称'>
        <Input className='form-input record-title-input' value={title} maxlength={60} onInput={(e) => { setTitle(e.detail.value); setTitleEdited(true) }} />
      </Field>
      <Field label='日期'>
        <Picker mode='date' value={date} start={dateValue(Date.now() - BACK_DAYS * DAY)} end={today} onChange={(e) => pickDate(String(e.detail.value))}>
          <View className='form-picker record-date' data-value={date}>
            {date}
          </View>
        </Picker>
      </Field>
      <View className='form-row'>
        <Field label='开始'>
          <Picker mode='time' value={start} onChange={(e) => setStart(String(e.detail.value))}>
            <View className='form-picker record-start' data-value={start}>{start}</View>
          </Picker>
        </Field>
        <Field label='结束'>
          <Picker mode='time' value={end} onChange={(e) => setEnd(String(e.detail.value))}>
            <View className='form-picker record-end' data-value={end}>{end}</View>
          </Picker>
        </Field>
      </View>
      <Field label='地点'>
        <Input className='form-input record-venue-input' value={venue} maxlength={60} placeholder='例如：三楼会议室' onInput={(e) => setVenue(e.detail.value)} />
      </Field>

      <Field label='签到情况' hint='按签到表为每位同志选一项，没有标出的算缺席。人多时可以先点“其余都出席”，再把迟到、请假、缺席的同志改过来。'>
        <StatusBlock loading={people.loading && !people.data} error={people.error} onRetry={people.retry} />
        {people.data ? <MemberMarks people={expected} entries={entries} onChange={setEntries} selfId={me?.member._id ?? null} /> : null}
      </Field>

      {act.message ? <Text className='form-error record-error'>{act.message}</Text> : null}
      <Button className='record-submit' loading={act.busy || undefined} disabled={act.busy || undefined} onClick={submit}>
        补录这场活动
      </Button>
    </View>
  )
}

export default withPageBoundary(RecordMeeting)
