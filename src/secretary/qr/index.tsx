import { useCallback, useEffect, useRef, useState } from 'react'
import { Button, Input, Text, View } from '@tarojs/components'
import Taro, { useDidHide, useDidShow, useUnload } from '@tarojs/taro'
import { ApiError } from '../../api'
import { proxyCheckIn, token as fetchToken, type CheckinToken } from '../../api/checkin'
import { roster as fetchRoster, type Roster, type RosterRow } from '../../api/sessions'
import StatusBlock from '../../components/StatusBlock'
import { errorText } from '../../components/errorText'
import { percentText, timeText, typeLabel, whenText } from '../../components/format'
import { CHECKIN_METHOD_LABELS } from '../../core/schemas/checkin'
import { usePolling } from '../../hooks/usePolling'
import { useSessionParam } from '../../hooks/useSessionParam'
import QrCode from '../components/QrCode'
import RoleLine from '../components/RoleLine'
import './index.scss'

const IS_H5 = process.env.TARO_ENV === 'h5'
const ROSTER_POLL_MS = 3000
/** Fetch the next code this long before the current one's slot ends. */
const TOKEN_LEAD_MS = 2500
const TOKEN_RETRY_MS = 5000
const TOKEN_CLOSED_RETRY_MS = 15000

const STATE_LABELS: Record<RosterRow['state'], string> = {
  attended: '已到',
  late: '迟到',
  leave_pending: '请假待批',
  leave_approved: '请假',
  absent: '未到'
}

const PROXY_REASONS = ['年事已高，行动不便', '没有智能手机', '手机故障或没电']

type TokenState = { kind: 'idle' } | { kind: 'ok'; t: CheckinToken } | { kind: 'error'; error: ApiError }

/**
 * The rotating code: fetched now, then again a little before each slot ends
 * (timed by the server's clock, not the screen's), only while the page shows.
 */
function useRotatingToken(sessionId: string, active: boolean): TokenState {
  const [state, setState] = useState<TokenState>({ kind: 'idle' })
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null)
  const visible = useRef(true)
  const shown = useRef(false)
  const gen = useRef(0)

  const stop = useCallback(() => {
    if (timer.current) clearTimeout(timer.current)
    timer.current = null
    gen.current++
  }, [])

  const load = useCallback(() => {
    stop()
    if (!visible.current || !active || !sessionId) return
    const mine = gen.current
    fetchToken(sessionId)
      .then((t) => {
        if (mine !== gen.current) return
        setState({ kind: 'ok', t })
        const serverNow = typeof t.serverNow === 'number' ? t.serverNow : Date.now()
        const wait = Math.min(30000, Math.max(1000, t.expiresAt - serverNow - TOKEN_LEAD_MS))
        timer.current = setTimeout(load, wait)
      })
      .catch((err: unknown) => {
        if (mine !== gen.current) return
        const e = err instanceof ApiError ? err : new ApiError('INTERNAL')
        setState({ kind: 'error', error: e })
        timer.current = setTimeout(load, e.code === 'CHECKIN_CLOSED' ? TOKEN_CLOSED_RETRY_MS : TOKEN_RETRY_MS)
      })
  }, [sessionId, active, stop])

  useEffect(() => {
    load()
    return stop
  }, [load, stop])

  useDidShow(() => {
    visible.current = true
    // The first show is the mount, which has loaded already.
    if (shown.current) load()
    shown.current = true
  })
  useDidHide(() => {
    visible.current = false
    stop()
  })
  useUnload(() => {
    visible.current = false
    stop()
  })
  return state
}

function keepScreenOn(on: boolean) {
  if (IS_H5) return
  Taro.setKeepScreenOn({ keepScreenOn: on }).catch(() => undefined)
}

function RosterItem({
  row,
  sessionId,
  canProxy,
  onProxied
}: {
  row: RosterRow
  sessionId: string
  canProxy: boolean
  onProxied: () => void
}) {
  const [open, setOpen] = useState(false)
  const [reason, setReason] = useState('')
  const [busy, setBusy] = useState(false)
  const [message, setMessage] = useState('')

  const confirm = async () => {
    if (busy) return
    if (!reason.trim()) {
      setMessage('请写明代签的原因，会记入台账。')
      return
    }
    setBusy(true)
    setMessage('')
    try {
      await proxyCheckIn(sessionId, row.member._id, reason.trim())
      setOpen(false)
      Taro.showToast({ title: '已代签', icon: 'success' }).catch(() => undefined)
      onProxied()
    } catch (err) {
      setMessage(errorText(err, '代签没有成功，请稍后再试'))
    } finally {
      setBusy(false)
    }
  }

  const detail =
    row.at !== undefined
      ? `${timeText(row.at)}${row.method && row.method !== 'qr' ? ' · ' + CHECKIN_METHOD_LABELS[row.method] : ''}`
      : ''

  return (
    <View className={`roster-row roster-state-${row.state}`} data-member-id={row.member._id} data-state={row.state}>
      <View className='roster-row-main'>
        <View className='roster-row-who'>
          <Text className='roster-name'>{row.member.name}</Text>
          <RoleLine member={row.member} />
        </View>
        <View className='roster-row-right'>
          <Text className='roster-state'>{STATE_LABELS[row.state]}</Text>
          {detail ? <Text className='roster-at'>{detail}</Text> : null}
        </View>
        {canProxy && !open ? (
          <Button className='roster-proxy' onClick={() => setOpen(true)}>
            代签
          </Button>
        ) : null}
      </View>
      {open ? (
        <View className='proxy-panel'>
          <Text className='proxy-title'>为 {row.member.name} 代签，原因：</Text>
          <View className='proxy-chips'>
            {PROXY_REASONS.map((r) => (
              <Text key={r} className={`proxy-chip${reason === r ? ' proxy-chip--on' : ''}`} onClick={() => setReason(r)}>
                {r}
              </Text>
            ))}
          </View>
          <Input
            className='proxy-reason-input'
            placeholder='或者写下其他原因'
            value={reason}
            maxlength={200}
            onInput={(e) => setReason(e.detail.value)}
          />
          {message ? <Text className='proxy-error'>{message}</Text> : null}
          <View className='proxy-actions'>
            <Button className='proxy-cancel' onClick={() => setOpen(false)}>
              取消
            </Button>
            <Button className='proxy-confirm' loading={busy || undefined} disabled={busy || undefined} onClick={confirm}>
              确认代签
            </Button>
          </View>
        </View>
      ) : null}
    </View>
  )
}

function Group({ title, rows, children }: { title: string; rows: RosterRow[]; children: (r: RosterRow) => JSX.Element }) {
  if (rows.length === 0) return null
  return (
    <View className='roster-group'>
      <Text className='roster-group-title'>
        {title}（{rows.length}）
      </Text>
      <View className='roster-list'>{rows.map(children)}</View>
    </View>
  )
}

/** 签到大屏: the rotating code at the venue, and who has come, live; afterwards the session's attendance. */
export default function QrScreen() {
  const sessionId = useSessionParam()
  const [data, setData] = useState<Roster | null>(null)
  const [error, setError] = useState<ApiError | null>(null)
  const [now, setNow] = useState(() => Date.now())

  const loadRoster = useCallback(async () => {
    if (!sessionId) return
    try {
      const r = await fetchRoster(sessionId)
      setData(r)
      setError(null)
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError('INTERNAL'))
    } finally {
      setNow(Date.now())
    }
  }, [sessionId])

  const poll = usePolling(loadRoster, ROSTER_POLL_MS, !!sessionId)

  const session = data?.session
  const ended = session ? now >= session.checkin.closesAt : false
  const cancelled = session?.status === 'cancelled'
  // Until the roster says otherwise, try for a code; the server refuses outside the window.
  const tokenActive = !!sessionId && !ended && !cancelled
  const tok = useRotatingToken(sessionId, tokenActive)

  useDidShow(() => keepScreenOn(true))
  useDidHide(() => keepScreenOn(false))
  useUnload(() => keepScreenOn(false))

  useEffect(() => {
    if (session) Taro.setNavigationBarTitle({ title: ended ? '签到情况' : '签到大屏' }).catch(() => undefined)
  }, [session, ended])

  if (!sessionId) {
    return (
      <View className='page qr-page'>
        <StatusBlock error={new ApiError('NOT_FOUND', '没有指定活动，请从活动列表进入')} />
      </View>
    )
  }

  const rows = data?.rows ?? []
  const byState = (...states: RosterRow['state'][]) => rows.filter((r) => states.includes(r.state))
  const counts = data?.counts
  const arrived = counts ? counts.attended + counts.late : 0
  const leavePending = counts?.leavePending ?? byState('leave_pending').length
  const due = counts ? counts.expected - (counts.leave - leavePending) : 0
  const token = tok.kind === 'ok' ? tok.t.token : ''

  return (
    <View className={`page qr-page${ended ? ' qr-page--ended' : ''}`} data-session-id={sessionId}>
      {session ? (
        <View className='qr-head'>
          <Text className='qr-type'>{typeLabel(session.type)}</Text>
          <Text className='qr-title'>{session.title}</Text>
          <Text className='qr-when'>
            {whenText(session.startAt, session.endAt)} · {session.venue.name}
          </Text>
        </View>
      ) : null}

      {!data ? <StatusBlock loading={!error} error={error} onRetry={poll.now} loadingText='正在读取签到名单…' /> : null}

      {tokenActive ? (
        <View className='qr-box'>
          {token ? (
            <View className='qr-frame'>
              <QrCode text={token} />
            </View>
          ) : tok.kind === 'error' ? (
            <View className='qr-wait' data-code={tok.error.code}>
              <Text className='qr-wait-text'>
                {tok.error.code === 'CHECKIN_CLOSED' && session
                  ? `签到 ${timeText(session.checkin.opensAt)} 开始，到时这里会自动显示二维码。`
                  : errorText(tok.error)}
              </Text>
            </View>
          ) : (
            <View className='qr-wait'>
              <Text className='qr-wait-text'>正在生成签到二维码…</Text>
            </View>
          )}
          {token ? (
            <>
              <Text className='qr-tip'>请用微信扫一扫签到 · 二维码每 30 秒自动更换，截图转发无效</Text>
              <Text
                className='qr-token-text'
                selectable
                userSelect
                data-slot={tok.kind === 'ok' ? String(tok.t.slot) : ''}
                data-expires-at={tok.kind === 'ok' ? String(tok.t.expiresAt) : ''}
              >
                {token}
              </Text>
            </>
          ) : null}
        </View>
      ) : session ? (
        <View className='qr-ended'>
          <Text className='qr-ended-text'>{cancelled ? '这场活动已取消。' : '签到已结束，下面是这场活动的签到情况。'}</Text>
        </View>
      ) : null}

      {counts ? (
        <View className='roster-counts'>
          <View className='roster-count roster-count-expected' data-value={counts.expected}>
            <Text className='roster-count-value'>{counts.expected}</Text>
            <Text className='roster-count-label'>应到</Text>
          </View>
          <View className='roster-count roster-count-attended' data-value={arrived}>
            <Text className='roster-count-value'>{arrived}</Text>
            <Text className='roster-count-label'>已到{counts.late ? `（迟到 ${counts.late}）` : ''}</Text>
          </View>
          <View className='roster-count roster-count-leave' data-value={counts.leave}>
            <Text className='roster-count-value'>{counts.leave}</Text>
            <Text className='roster-count-label'>请假</Text>
          </View>
          <View className='roster-count roster-count-absent' data-value={counts.absent}>
            <Text className='roster-count-value'>{counts.absent}</Text>
            <Text className='roster-count-label'>未到</Text>
          </View>
        </View>
      ) : null}

      {counts && ended && !cancelled ? (
        <Text className='roster-rate'>
          出勤率 {percentText(due > 0 ? arrived / due : null)}：已到 {arrived} 人 ÷ 应到 {due} 人（应到已去掉准假的 {counts.leave - leavePending} 人）
        </Text>
      ) : null}

      {error && data ? <Text className='roster-stale'>名单暂时没有更新：{errorText(error)}</Text> : null}

      {data ? (
        <View className='roster'>
          <Group title='未到' rows={byState('absent')}>
            {(r) => <RosterItem key={r.member._id} row={r} sessionId={sessionId} canProxy={!cancelled} onProxied={poll.now} />}
          </Group>
          <Group title='已到' rows={byState('attended', 'late')}>
            {(r) => <RosterItem key={r.member._id} row={r} sessionId={sessionId} canProxy={false} onProxied={poll.now} />}
          </Group>
          <Group title='请假' rows={byState('leave_pending', 'leave_approved')}>
            {(r) => <RosterItem key={r.member._id} row={r} sessionId={sessionId} canProxy={!cancelled} onProxied={poll.now} />}
          </Group>
          {rows.length === 0 ? <Text className='roster-empty'>这场活动没有应到人员。</Text> : null}
        </View>
      ) : null}

      {data && !cancelled ? (
        <View className='qr-links'>
          <Button
            className='qr-link qr-link-makeup'
            onClick={() => Taro.navigateTo({ url: `/secretary/makeup/index?id=${encodeURIComponent(sessionId)}` })}
          >
            为缺席、请假的同志安排补学
          </Button>
        </View>
      ) : null}
    </View>
  )
}
