import { useCallback, useEffect, useRef, useState } from 'react'
import { Button, Text, Textarea, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { ApiError } from '../../api'
import { makeUp, makeUps, mine, requestLeave, type LeaveStatus, type MakeUpRow, type MineRow, type MyRecord } from '../../api/checkin'
import { getSession, type Session } from '../../api/sessions'
import StatusBlock from '../../components/StatusBlock'
// After StatusBlock: CheckinResult brings SubscribeAsk, and the shared CSS chunk keeps one order across pages.
import CheckinResult from '../../components/CheckinResult'
import { audienceText } from '../../components/audience'
import { errorText } from '../../components/errorText'
import { fullDayText, momentText, pendingScanText, timeText, typeLabel, whenText } from '../../components/format'
import { isCheckinOpen, myState, windowText } from '../../components/sessionState'
import { lateLeaveDeadline } from '../../core/checkin/late-records'
import { MAKEUP_MIN_WORDS } from '../../core/checkin/states'
import { LEAVE_STATUS_LABELS } from '../../core/vocab/checkin'
import { periodKeysOf } from '../../core/period'
import { countNoteWords } from '../../core/words'
import { useLargeText } from '../../hooks/useLargeText'
import { useAction } from '../../hooks/useAction'
import { useCheckIn } from '../../hooks/useCheckIn'
import { useRequest } from '../../hooks/useRequest'
import { useSessionParam } from '../../hooks/useSessionParam'
import { withPageBoundary } from '../../components/PageBoundary'
import SeminarCard from './SeminarCard'
import YearFigures from './YearFigures'
import './index.scss'

const LEAVE_MAX = 200
const MAKEUP_MAX = 20000

interface Detail {
  session: Session
  row?: MineRow
  /** The member's year, when the session is one of theirs. */
  record?: MyRecord
  makeup?: MakeUpRow
}

async function loadDetail(sessionId: string): Promise<Detail> {
  const session = await getSession(sessionId)
  const year = Number(periodKeysOf(session.startAt).year)
  // The record and make-ups only add to the page: their failure must not hide the session.
  const [rec, mus] = await Promise.all([mine(year).catch(() => null), makeUps().catch(() => [] as MakeUpRow[])])
  return {
    session,
    row: rec?.rows.find((r) => r.sessionId === sessionId),
    ...(rec ? { record: rec } : {}),
    makeup: mus.find((m) => m.makeup.sessionId === sessionId)
  }
}

function draftKey(sessionId: string): string {
  return `makeup.draft.${sessionId}`
}

function readDraft(sessionId: string): string {
  try {
    const v = Taro.getStorageSync(draftKey(sessionId))
    return typeof v === 'string' ? v : ''
  } catch {
    return ''
  }
}

function LeaveForm({ session, status, late, onSent }: { session: Session; status?: LeaveStatus; late: boolean; onSent: (s: LeaveStatus) => void }) {
  const [reason, setReason] = useState('')
  const [open, setOpen] = useState(false)
  const act = useAction()

  const submit = () => {
    if (!reason.trim()) {
      act.setMessage('请写一下请假的原因，比如“出差在外”。')
      return
    }
    void act.run(async () => {
      const leave = await requestLeave(session._id, reason.trim())
      onSent(leave?.status ?? 'pending')
      setOpen(false)
      setReason('')
    }, '请假没有提交成功，请稍后再试')
  }

  return (
    <View className='detail-card leave-card'>
      <Text className='detail-card-title'>{late ? '补请假' : '请假'}</Text>
      {status ? (
        <Text className={`leave-status leave-status-${status}`} data-status={status}>
          请假申请：{LEAVE_STATUS_LABELS[status]}
          {status === 'pending' ? '，书记审批后会显示结果' : ''}
        </Text>
      ) : late ? (
        <Text className='detail-line leave-late-hint'>
          活动已经结束。如果当时因病或其他原因没能参加，可以在 {fullDayText(lateLeaveDeadline(session))} 前补请假，写明原因，由支部书记审批；批准后不算缺席。
        </Text>
      ) : (
        <Text className='detail-line'>不能参加的话，请在活动结束前请假，写明原因，由支部书记审批。</Text>
      )}
      {open ? (
        <View className='leave-form'>
          <Textarea
            className='leave-reason'
            placeholder='请假原因，例如：出差在外'
            value={reason}
            maxlength={LEAVE_MAX}
            autoHeight
            onInput={(e) => setReason(e.detail.value)}
          />
          <Text className='leave-count'>
            {reason.length}/{LEAVE_MAX} 字
          </Text>
          {act.message ? <Text className='form-error'>{act.message}</Text> : null}
          <Button className='leave-submit' loading={act.busy || undefined} disabled={act.busy || undefined} onClick={submit}>
            提交请假
          </Button>
        </View>
      ) : status !== 'approved' ? (
        <Button className='leave-open' onClick={() => setOpen(true)}>
          {status ? '重新填写请假原因' : late ? '我要补请假' : '我要请假'}
        </Button>
      ) : null}
    </View>
  )
}

function MakeUpForm({ session, makeup, onDone }: { session: Session; makeup: MakeUpRow; onDone: () => void }) {
  const [text, setText] = useState(() => readDraft(session._id))
  const act = useAction()
  const words = countNoteWords(text)
  const enough = words >= MAKEUP_MIN_WORDS
  const saveTimer = useRef<ReturnType<typeof setTimeout> | null>(null)

  // Keep the draft on the phone as the member writes: a closed app loses nothing.
  useEffect(() => {
    if (saveTimer.current) clearTimeout(saveTimer.current)
    saveTimer.current = setTimeout(() => {
      try {
        if (text) Taro.setStorageSync(draftKey(session._id), text)
        else Taro.removeStorageSync(draftKey(session._id))
      } catch {
        // storage full: the text is still on screen
      }
    }, 500)
    return () => {
      if (saveTimer.current) clearTimeout(saveTimer.current)
    }
  }, [text, session._id])

  const submit = () => {
    if (!enough) {
      act.setMessage(`补学心得至少写 ${MAKEUP_MIN_WORDS} 字，现在是 ${words} 字。`)
      return
    }
    void act.run(
      async () => {
        await makeUp(session._id, text, `补学：${session.title}`.slice(0, 60))
        try {
          Taro.removeStorageSync(draftKey(session._id))
        } catch {
          // nothing to do
        }
        onDone()
      },
      (err) =>
        err instanceof ApiError && err.code === 'NETWORK'
          ? '网络不好，没有提交成功。写好的内容已保存在手机上，联网后再点一次“提交补学”。'
          : errorText(err, '补学没有提交成功，请稍后再试')
    )
  }

  const m = makeup.makeup
  return (
    <View className='detail-card makeup-card' data-status={m.status}>
      <Text className='detail-card-title'>补学</Text>
      <Text className='detail-line'>
        书记为这次活动安排了补学，请在 {fullDayText(m.deadline)} {timeText(m.deadline)} 前完成。
        {makeup.overdue ? '已经过了期限，仍可以提交，书记会看到。' : ''}
      </Text>
      {m.status === 'returned' ? <Text className='detail-line makeup-returned'>书记退回了上次的补学，请修改后重新提交。</Text> : null}
      {m.status === 'submitted' ? (
        <Text className='detail-line makeup-submitted'>已经提交，等待书记确认。</Text>
      ) : (
        <View className='makeup-form'>
          <Text className='detail-line'>学习这次活动的内容后，写一段学习心得（至少 {MAKEUP_MIN_WORDS} 字），会记入您的学习笔记。</Text>
          <Textarea
            className='makeup-input'
            placeholder='写下您的学习心得…'
            value={text}
            maxlength={MAKEUP_MAX}
            autoHeight
            onInput={(e) => setText(e.detail.value)}
          />
          <Text className={`makeup-count${enough ? ' makeup-count--enough' : ''}`} data-words={words}>
            已写 {words} 字{enough ? '' : `，至少 ${MAKEUP_MIN_WORDS} 字`}
          </Text>
          {act.message ? <Text className='form-error'>{act.message}</Text> : null}
          <Button className='makeup-submit' loading={act.busy || undefined} disabled={act.busy || undefined} onClick={submit}>
            提交补学
          </Button>
        </View>
      )}
    </View>
  )
}

/** A session as a member sees it: details, my state, 请假 before it ends, 补学 when assigned. */
function SessionDetail() {
  const lt = useLargeText()
  const sessionId = useSessionParam()
  const [round, setRound] = useState(0)
  const req = useRequest(sessionId ? `${sessionId}:${round}` : null, () => loadDetail(sessionId))
  const [leaveStatus, setLeaveStatus] = useState<LeaveStatus | undefined>(undefined)
  const [makeupDone, setMakeupDone] = useState(false)
  const reload = useCallback(() => setRound((r) => r + 1), [])
  const session = req.data?.session

  const { feedback, checkInOnline } = useCheckIn({
    findSession: (id) => (session && session._id === id ? session : undefined),
    onCheckedIn: reload
  })

  useEffect(() => {
    if (session) Taro.setNavigationBarTitle({ title: typeLabel(session.type) }).catch(() => undefined)
  }, [session])

  if (!sessionId) {
    return (
      <View className={`page session-page ${lt.className}`}>
        <StatusBlock error={new ApiError('NOT_FOUND', '没有找到这场活动')} />
      </View>
    )
  }
  if (!req.data || !session) {
    return (
      <View className={`page session-page ${lt.className}`}>
        <StatusBlock loading={req.loading} error={req.error} onRetry={req.retry} />
      </View>
    )
  }

  const now = Date.now()
  const row = req.data.row
  const state = myState(session, row, now)
  const checkedIn = row ? row.state === 'attended' || row.state === 'late' : false
  const open = isCheckinOpen(session, now)
  const cancelled = session.status === 'cancelled'
  const status = leaveStatus ?? row?.leaveStatus
  // After the session, 补请假 for a week (late-records.ts), for a session the member was expected at.
  const lateLeave = now >= session.endAt
  const canLeave = !cancelled && !checkedIn && (!lateLeave || (!!row && now <= lateLeaveDeadline(session)))
  const mu = req.data.makeup
  const showMakeUp = mu && !makeupDone && mu.makeup.status !== 'accepted'

  return (
    <View className={`page session-page ${lt.className}`} data-session-id={session._id}>
      <View className='detail-card detail-head'>
        <Text className='detail-type'>{typeLabel(session.type)}</Text>
        <Text className='detail-title'>{session.title}</Text>
        <Text className='detail-line detail-when'>{whenText(session.startAt, session.endAt)}</Text>
        <Text className='detail-line'>地点：{session.venue.name}</Text>
        <Text className='detail-line'>参加人员：{audienceText(session.audience)}</Text>
        {!cancelled ? <Text className='detail-line'>{windowText(session, timeText)}</Text> : null}
        {session.allowOnlineWithoutQr && !cancelled ? (
          <Text className='detail-line'>这次活动可以线上签到，不在会场也能参加。</Text>
        ) : null}
        {session.description ? <Text className='detail-desc'>{session.description}</Text> : null}
        {cancelled ? (
          <Text className='detail-line detail-cancelled'>这场活动已取消{session.cancelReason ? `：${session.cancelReason}` : ''}</Text>
        ) : null}
      </View>

      <View className={`detail-card session-my-state${state ? ' my-state-' + state.key : ''}`} data-state={row?.state ?? state?.key ?? ''}>
        <Text className='detail-card-title'>我的情况</Text>
        <Text className='my-state-label'>{state ? state.label : '暂时看不到您的签到情况'}</Text>
        {row?.at ? <Text className='detail-line'>签到时间：{momentText(row.at)}</Text> : null}
        {row?.pendingAt !== undefined && !checkedIn ? <Text className='detail-line my-state-pending-note'>{pendingScanText(row.pendingAt)}</Text> : null}
        {row && req.data.record ? <YearFigures rec={req.data.record} /> : null}
        {open && !checkedIn && session.allowOnlineWithoutQr ? (
          <Button className='checkin-online' onClick={() => checkInOnline(session._id)}>
            线上签到
          </Button>
        ) : null}
        {open && !checkedIn && !session.allowOnlineWithoutQr ? (
          <Button className='detail-go-scan' onClick={() => Taro.switchTab({ url: '/pages/checkin/index' })}>
            去扫码签到
          </Button>
        ) : null}
      </View>

      <CheckinResult feedback={feedback} />

      {canLeave ? (
        <LeaveForm
          session={session}
          status={status}
          late={lateLeave}
          onSent={(s) => {
            setLeaveStatus(s)
            Taro.showToast({ title: '请假已提交', icon: 'success' }).catch(() => undefined)
          }}
        />
      ) : null}

      {showMakeUp ? (
        <MakeUpForm
          session={session}
          makeup={mu}
          onDone={() => {
            setMakeupDone(true)
            Taro.showToast({ title: '补学已提交', icon: 'success' }).catch(() => undefined)
            reload()
          }}
        />
      ) : null}
      {makeupDone ? (
        <View className='detail-card makeup-card' data-status='submitted'>
          <Text className='detail-card-title'>补学</Text>
          <Text className='detail-line makeup-submitted'>补学已提交，等待书记确认。谢谢您！</Text>
        </View>
      ) : null}
      {row && !cancelled && session.type === 'seminar' ? <SeminarCard sessionId={session._id} title={session.title} /> : null}
      {row && !cancelled && now >= session.startAt ? (
        <View
          className='detail-card session-minutes-link'
          hoverClass='detail-card--pressed'
          onClick={() => Taro.navigateTo({ url: `/minutes/view/index?id=${encodeURIComponent(session._id)}` })}
        >
          <Text className='detail-card-title'>会议记录</Text>
          <Text className='detail-line'>{checkedIn ? '这次学了什么、定了什么，都在这里。' : '没能参加也不要紧：这次学了什么、定了什么，都在这里。'}</Text>
        </View>
      ) : null}
    </View>
  )
}

export default withPageBoundary(SessionDetail)
