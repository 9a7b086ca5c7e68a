import { useMemo, useState } from 'react'
import { Button, Input, Text, View } from '@tarojs/components'
import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { mine, type MineRow } from '../../api/checkin'
import { flushQueue } from '../../api/offline-queue'
import { listSessions, type Session } from '../../api/sessions'
import QueueNotice from '../../components/QueueNotice'
import SessionCard from '../../components/SessionCard'
import StatusBlock from '../../components/StatusBlock'
// After StatusBlock: CheckinResult brings SubscribeAsk, and the shared CSS chunk keeps one order across pages.
import CheckinResult from '../../components/CheckinResult'
import { timeText } from '../../components/format'
import { isCheckinOpen, myState, windowText } from '../../components/sessionState'
import { expectedAt } from '../../core/audience'
import { sessionOver } from '../../core/checkin/attendance'
import { parseCheckinToken } from '../../core/checkin/qr-slot'
import { periodKeysOf } from '../../core/period'
import { useLargeText } from '../../hooks/useLargeText'
import { useCheckIn } from '../../hooks/useCheckIn'
import { useCheckinSync } from '../../hooks/useCheckinSync'
import { useMe } from '../../hooks/useMe'
import { useRequest } from '../../hooks/useRequest'
import { useRefreshRound } from '../../hooks/useShownAgain'
import { withPageBoundary } from '../../components/PageBoundary'
import CameraScan, { cameraAvailable } from './CameraScan'
import './index.scss'

const IS_H5 = process.env.TARO_ENV === 'h5'
const DAY = 24 * 60 * 60 * 1000
const PAST_SHOWN = 10

interface Loaded {
  sessions: Session[]
  at: number
}

async function loadSessions(branchId: string): Promise<Loaded> {
  const now = Date.now()
  const sessions = await listSessions(branchId, now - 30 * DAY, now + 30 * DAY)
  return { sessions, at: now }
}

/** My record rows for every Shanghai year the shown range touches (one, or two around New Year). */
async function loadMine(): Promise<Map<string, MineRow>> {
  const now = Date.now()
  const years = Array.from(new Set([now - 30 * DAY, now, now + 30 * DAY].map((t) => Number(periodKeysOf(t).year))))
  const outs = await Promise.all(years.map((y) => mine(y)))
  const map = new Map<string, MineRow>()
  for (const out of outs) for (const row of out.rows ?? []) map.set(row.sessionId, row)
  return map
}

function goDetail(sessionId: string) {
  Taro.navigateTo({ url: `/pages/session/index?id=${encodeURIComponent(sessionId)}` })
}

function CheckinPage() {
  const { me, loading: meLoading, error: meError, reload: reloadMe } = useMe()
  const lt = useLargeText(me)
  const branchId = me && me.member.joinStatus !== 'pending' ? me.member.branchId : null
  // Back from a session's page (a leave request, a make-up): show what changed.
  const [round, refresh] = useRefreshRound()
  const sessionsReq = useRequest(branchId ? `${branchId}:${round}` : null, () => loadSessions(branchId as string))
  const mineReq = useRequest(branchId ? `mine:${round}` : null, loadMine)
  const [code, setCode] = useState('')
  const [picked, setPicked] = useState<string | null>(null)
  const sync = useCheckinSync()
  // The web version scans too where the browser offers a camera (https or localhost).
  const [camera] = useState(() => IS_H5 && cameraAvailable())

  usePullDownRefresh(() => {
    refresh()
    flushQueue().catch(() => undefined)
    setTimeout(() => Taro.stopPullDownRefresh(), 600)
  })

  const sessionsById = useMemo(() => {
    const map = new Map<string, Session>()
    for (const s of sessionsReq.data?.sessions ?? []) map.set(s._id, s)
    return map
  }, [sessionsReq.data])

  const { feedback, submitCode, submitShortCode, setFeedback, scan, checkInOnline } = useCheckIn({
    findSession: (id) => sessionsById.get(id),
    onCheckedIn: () => {
      setCode('')
      refresh()
    }
  })

  const { upcoming, past } = useMemo(() => {
    const now = Date.now()
    // Sessions held before one joined are not theirs: the list agrees with 我的记录 (checkin.mine).
    const mineList = (sessionsReq.data?.sessions ?? []).filter((s) => (me ? expectedAt(s, me.member) : true))
    return {
      upcoming: mineList
        .filter((s) => !sessionOver(s, now))
        .sort((a, b) => a.startAt - b.startAt),
      past: mineList
        .filter((s) => sessionOver(s, now) && s.status !== 'cancelled')
        .sort((a, b) => b.startAt - a.startAt)
        .slice(0, PAST_SHOWN)
    }
  }, [sessionsReq.data, me])

  const rows = mineReq.data
  const now = Date.now()
  // Six digits name no session: the code is typed for one whose check-in is open now and not yet done.
  const openForCode = upcoming.filter((s) => {
    const row = rows?.get(s._id)
    return isCheckinOpen(s, now) && !(row && (row.state === 'attended' || row.state === 'late'))
  })
  const codeSession = openForCode.find((s) => s._id === picked) ?? openForCode[0]

  const submitTyped = () => {
    // A pasted QR text names its session itself.
    if (parseCheckinToken(code.trim())) return submitCode(code)
    if (!codeSession) {
      setFeedback({
        kind: 'error',
        code: 'NO_OPEN_SESSION',
        message: '现在没有正在签到的活动。',
        advice: '签到开放后（一般在活动开始前 30 分钟），再输入现场大屏上的 6 位数字。'
      })
      return Promise.resolve()
    }
    return submitShortCode(codeSession._id, code)
  }

  const renderCard = (s: Session) => {
    const row = rows?.get(s._id)
    const state = myState(s, row, now)
    const checkedIn = row ? row.state === 'attended' || row.state === 'late' : false
    const online = s.allowOnlineWithoutQr && isCheckinOpen(s, now) && !checkedIn
    return (
      <SessionCard
        key={s._id}
        session={s}
        stateKey={state?.key}
        stateLabel={state?.label}
        hint={s.status !== 'cancelled' && s.endAt > now ? windowText(s, timeText) : undefined}
        onClick={() => goDetail(s._id)}
      >
        {online ? (
          <Button className='checkin-online' data-session-id={s._id} onClick={() => checkInOnline(s._id)}>
            线上签到
          </Button>
        ) : null}
      </SessionCard>
    )
  }

  if (!me) {
    return (
      <View className={`page checkin-page ${lt.className}`}>
        <Text className='page-title'>签到</Text>
        <StatusBlock loading={meLoading} error={meError} onRetry={reloadMe} />
      </View>
    )
  }

  return (
    <View className={`page checkin-page ${lt.className}`}>
      <View className='checkin-scan-card'>
        <Text className='checkin-scan-title'>
          {!IS_H5 ? '到了会场，扫一扫大屏上的二维码' : camera ? '到了会场，扫大屏上的二维码，或输入二维码下方的 6 位数字' : '到了会场，输入大屏上的 6 位数字签到'}
        </Text>
        {/* The scanned text takes the mini-program scan's path: same parsing, geofence, offline queue and result. */}
        {camera ? <CameraScan onToken={submitCode} className={lt.className} /> : null}
        {IS_H5 ? (
          <View className={`checkin-code${camera ? ' checkin-code--after-scan' : ''}`}>
            {openForCode.length > 1 ? (
              <View className='checkin-code-pick'>
                <Text className='checkin-code-hint'>现在有 {openForCode.length} 场活动正在签到，请先点您所在的这一场：</Text>
                {openForCode.map((s) => (
                  <Button
                    key={s._id}
                    className={`checkin-code-choice${s._id === codeSession?._id ? ' checkin-code-choice--on' : ''}`}
                    data-session-id={s._id}
                    onClick={() => setPicked(s._id)}
                  >
                    {s.title}
                  </Button>
                ))}
              </View>
            ) : codeSession ? (
              <Text className='checkin-code-for' data-session-id={codeSession._id}>
                正在签到：{codeSession.title}
              </Text>
            ) : (
              <Text className='checkin-code-hint checkin-code-none'>现在没有正在签到的活动。签到开放后，在这里输入现场大屏上的 6 位数字。</Text>
            )}
            <Text className='checkin-code-label'>输入现场大屏上的 6 位数字</Text>
            <Input
              className='checkin-code-input'
              type='text'
              // The phone's number pad, not the full keyboard: one thumb, six taps.
              nativeProps={{ inputMode: 'numeric', pattern: '[0-9 ]*', autoComplete: 'off', enterKeyHint: 'done' }}
              placeholder='例如 382917'
              value={code}
              maxlength={256}
              confirmType='done'
              onInput={(e) => setCode(e.detail.value)}
              onConfirm={submitTyped}
            />
            <Button className='checkin-code-submit' data-session-id={codeSession?._id ?? ''} onClick={submitTyped}>
              签到
            </Button>
            <Text className='checkin-code-hint checkin-code-foot'>数字在大屏二维码的下方，每 30 秒换一次。</Text>
          </View>
        ) : (
          <Button className='checkin-scan' onClick={scan}>
            扫码签到
          </Button>
        )}
      </View>

      <CheckinResult feedback={feedback} />
      <QueueNotice pending={sync.pending} report={sync.lastReport} titleOf={(id) => sessionsById.get(id)?.title} />

      {me.member.joinStatus === 'pending' ? (
        <Text className='page-lead'>支部书记确认您入支部后，这里会显示支部的活动。</Text>
      ) : null}

      <StatusBlock loading={sessionsReq.loading && !sessionsReq.data} error={sessionsReq.error} onRetry={refresh} />

      {sessionsReq.data ? (
        <View className='checkin-lists'>
          <Text className='checkin-section'>接下来的活动</Text>
          {upcoming.length === 0 ? (
            <Text className='checkin-empty'>未来 30 天还没有安排需要您参加的活动。</Text>
          ) : (
            <View className='checkin-upcoming'>{upcoming.map(renderCard)}</View>
          )}
          <Text className='checkin-section'>最近参加的活动</Text>
          {past.length === 0 ? (
            <Text className='checkin-empty'>最近 30 天没有需要您参加的活动。</Text>
          ) : (
            <View className='checkin-past'>{past.map(renderCard)}</View>
          )}
          {mineReq.error ? <Text className='checkin-empty'>暂时看不到您的签到情况，稍后下拉刷新试试。</Text> : null}
          <Text className='checkin-foot'>点活动可以查看详情、请假或补学。全年记录在“我的”里。</Text>
        </View>
      ) : null}
    </View>
  )
}

export default withPageBoundary(CheckinPage)
