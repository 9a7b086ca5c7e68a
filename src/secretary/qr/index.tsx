import { useCallback, useEffect, useState } from 'react'
import { Button, Text, View } from '@tarojs/components'
import Taro, { useDidHide, useDidShow, useRouter, useUnload } from '@tarojs/taro'
import { ApiError } from '../../api'
import { pendingCheckins, type PendingScan } from '../../api/checkin'
import { roster as fetchRoster, type Roster } from '../../api/sessions'
import StatusBlock from '../../components/StatusBlock'
import { errorText } from '../../components/errorText'
import { timeText, typeLabel, whenText } from '../../components/format'
import { usePolling } from '../../hooks/usePolling'
import { useSessionParam } from '../../hooks/useSessionParam'
import { spacedShortCode } from '../../core/checkin/short-code'
import { formatShanghai } from '../../core/period'
import QrCode from '../components/QrCode'
import PendingScans from './PendingScans'
import { RosterCounts, RosterList } from './Roster'
import { useRotatingToken } from './useRotatingToken'
import './index.scss'
import { useLargeText } from '../../hooks/useLargeText'
import { withPageBoundary } from '../../components/PageBoundary'

const IS_H5 = process.env.TARO_ENV === 'h5'
const ROSTER_POLL_MS = 3000

function keepScreenOn(on: boolean) {
  if (IS_H5) return
  Taro.setKeepScreenOn({ keepScreenOn: on }).catch(() => undefined)
}

/** 签到大屏: the rotating code at the venue, and who has come, live; afterwards the session's attendance. */
function QrScreen() {
  const lt = useLargeText()
  const sessionId = useSessionParam()
  // 投屏模式: for a projector or a TV at the front; `?projector=1` opens the page in it.
  const { params } = useRouter()
  const [projector, setProjector] = useState(() => params.projector === '1')
  const [data, setData] = useState<Roster | null>(null)
  const [error, setError] = useState<ApiError | null>(null)
  const [pending, setPending] = useState<PendingScan[]>([])
  const [now, setNow] = useState(() => Date.now())

  const loadRoster = useCallback(async () => {
    if (!sessionId) return
    try {
      // Scans synced late wait for the secretary; a failure here leaves the last list (the roster is what matters).
      const [r, p] = await Promise.all([fetchRoster(sessionId), pendingCheckins(sessionId).catch(() => null)])
      setData(r)
      if (p) setPending(p)
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
  // Before the window opens nobody is late or missing yet: no live code, nobody marked 未到.
  const notOpen = session ? now < session.checkin.opensAt && !cancelled : false
  // Until the roster says otherwise, try for a code; the server refuses outside the window.
  const tokenActive = !!sessionId && !ended && !cancelled && !notOpen
  const tok = useRotatingToken(sessionId, tokenActive)

  useDidShow(() => keepScreenOn(true))
  useDidHide(() => keepScreenOn(false))
  useUnload(() => keepScreenOn(false))

  useEffect(() => {
    if (session) Taro.setNavigationBarTitle({ title: ended ? '签到情况' : '签到大屏' }).catch(() => undefined)
  }, [session, ended])

  if (!sessionId) {
    return (
      <View className={`page qr-page ${lt.className}`}>
        <StatusBlock error={new ApiError('NOT_FOUND', '没有指定活动，请从活动列表进入')} />
      </View>
    )
  }

  const token = tok.kind === 'ok' ? tok.t.token : ''
  const shortCode = tok.kind === 'ok' && typeof tok.t.code === 'string' ? tok.t.code : ''
  const arrived = data ? data.counts.attended + data.counts.late : 0

  return (
    <View
      className={`page qr-page${ended ? ' qr-page--ended' : ''}${projector ? ' qr-page--projector' : ''}${notOpen ? ' qr-page--not-open' : ''}`}
      data-session-id={sessionId}
    >
      {session ? (
        <View className='qr-head'>
          <Text className='qr-type'>{typeLabel(session.type)}</Text>
          <Text className='qr-title'>{session.title}</Text>
          <Text className='qr-when'>
            {whenText(session.startAt, session.endAt)} · {session.venue.name}
          </Text>
          {session.recorded ? <Text className='qr-recorded'>补录：活动未用小程序签到，事后按签到表登记</Text> : null}
        </View>
      ) : null}

      {!data ? <StatusBlock loading={!error} error={error} onRetry={poll.now} loadingText='正在读取签到名单…' /> : null}

      {notOpen && session ? (
        <View className='qr-box qr-not-open'>
          <View className='qr-wait qr-wait--not-open'>
            <Text className='qr-not-open-text' data-opens-at={String(session.checkin.opensAt)}>
              签到 <Text className='qr-not-open-time'>{formatShanghai(session.checkin.opensAt, 'M/D HH:mm')}</Text> 开放
            </Text>
          </View>
          <Text className='qr-tip'>到时这里会自动显示二维码和 6 位签到数字，不用刷新。</Text>
        </View>
      ) : null}

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
          {shortCode ? (
            <View className='qr-short' data-code={shortCode}>
              <Text className='qr-short-label'>不能扫码的，在网页版输入</Text>
              <Text className='qr-short-code'>{spacedShortCode(shortCode)}</Text>
            </View>
          ) : null}
          {token ? (
            <>
              <Text className='qr-tip'>请用微信扫一扫签到 · 二维码和数字每 30 秒自动更换，截图转发无效</Text>
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

      {projector && data ? (
        <View className='qr-projector-counts' data-arrived={arrived} data-expected={data.counts.expected}>
          <Text className='qr-projector-count'>
            实到 <Text className='qr-projector-num'>{arrived}</Text> / 应到 <Text className='qr-projector-num'>{data.counts.expected}</Text>
          </Text>
        </View>
      ) : null}

      {data ? (
        <Button className='qr-mode-toggle' onClick={() => setProjector(!projector)}>
          {projector ? '退出投屏，查看签到名单' : '投屏模式（只显示二维码、数字和人数）'}
        </Button>
      ) : null}

      {projector ? null : (
        <>
      {data ? <RosterCounts roster={data} showRate={ended && !cancelled} notOpen={notOpen} /> : null}

      {data && !cancelled ? <PendingScans sessionId={sessionId} rows={pending} onChanged={poll.now} /> : null}

      {error && data ? <Text className='roster-stale'>名单暂时没有更新：{errorText(error)}</Text> : null}

      {data ? <RosterList roster={data} sessionId={sessionId} cancelled={cancelled} notOpen={notOpen} onChanged={poll.now} /> : null}

      {data && !cancelled ? (
        <View className='qr-links'>
          <Button
            className='qr-link qr-link-makeup'
            onClick={() => Taro.navigateTo({ url: `/secretary/makeup/index?id=${encodeURIComponent(sessionId)}` })}
          >
            为缺席、请假的同志安排补学
          </Button>
          {ended ? (
            <Button
              className='qr-link qr-link-makeups'
              onClick={() => Taro.navigateTo({ url: `/secretary/makeups/index?id=${encodeURIComponent(sessionId)}` })}
            >
              查看这场活动的补学情况
            </Button>
          ) : null}
        </View>
      ) : null}
        </>
      )}
    </View>
  )
}

export default withPageBoundary(QrScreen)
