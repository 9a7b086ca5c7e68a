import { useState } from 'react'
import { Button, Text, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { cancelSession, listSessions } from '../../api/sessions'
import SessionCard from '../../components/SessionCard'
import StatusBlock from '../../components/StatusBlock'
import { timeText } from '../../components/format'
import { isCheckinOpen, windowText } from '../../components/sessionState'
import { isValidPeriodKey, periodBounds, periodKeysOf } from '../../core/period'
import { useMe } from '../../hooks/useMe'
import { useRequest } from '../../hooks/useRequest'
import { useRefreshRound } from '../../hooks/useShownAgain'
import MonthNav from '../components/MonthNav'
import ReasonPanel from '../components/ReasonPanel'
import './index.scss'
import { useLargeText } from '../../hooks/useLargeText'
import { withPageBoundary } from '../../components/PageBoundary'

function open(url: string) {
  Taro.navigateTo({ url })
}

/** 活动列表: the branch's sessions month by month, each with its screen, edit, cancel and 补学. */
function Sessions() {
  const lt = useLargeText()
  const router = useRouter()
  const { me, error: meError, reload } = useMe()
  const branchId = me ? me.member.branchId : null
  const initial = router.params.month && isValidPeriodKey(router.params.month) ? (router.params.month as string) : periodKeysOf(Date.now()).month
  const [month, setMonth] = useState(initial)
  // Back from the form or the screen: show what changed.
  const [round, refresh] = useRefreshRound()
  const [cancelling, setCancelling] = useState<string | null>(null)
  const req = useRequest(branchId ? `${branchId}:${month}:${round}` : null, () => {
    const { start, end } = periodBounds(month)
    return listSessions(branchId as string, start, end)
  })

  const now = Date.now()
  const sessions = [...(req.data ?? [])].sort((a, b) => a.startAt - b.startAt)

  return (
    <View className={`page sessions-page ${lt.className}`}>
      <Button className='sessions-new' onClick={() => open('/secretary/schedule/index')}>
        ＋ 安排活动
      </Button>
      <Button className='sessions-record' onClick={() => open('/secretary/record/index')}>
        补录一场已开过的活动（纸质签到）
      </Button>
      <MonthNav period={month} onChange={setMonth} />
      {meError && !me ? <StatusBlock error={meError} onRetry={reload} /> : null}
      <StatusBlock loading={req.loading && !req.data} error={req.error} onRetry={req.retry} />
      {req.data && sessions.length === 0 ? <Text className='sessions-empty'>这个月还没有安排活动。</Text> : null}
      {sessions.map((s) => {
        const cancelled = s.status === 'cancelled'
        const ended = now >= s.endAt
        const live = isCheckinOpen(s, now)
        return (
          <SessionCard
            key={s._id}
            session={s}
            stateKey={live ? 'open' : ended ? 'ended' : 'upcoming'}
            stateLabel={cancelled ? undefined : live ? '正在签到' : ended ? '已结束' : '未开始'}
            hint={cancelled ? `取消原因：${s.cancelReason ?? '—'}` : s.recorded ? '补录：按签到表登记' : windowText(s, timeText)}
            onClick={() => open(`/secretary/qr/index?id=${encodeURIComponent(s._id)}`)}
          >
            {!cancelled ? (
              <View className='session-actions'>
                <Button className='session-open-qr' data-session-id={s._id} onClick={() => open(`/secretary/qr/index?id=${encodeURIComponent(s._id)}`)}>
                  {ended ? '签到情况' : '签到大屏'}
                </Button>
                {now >= s.startAt ? (
                  <Button className='session-minutes' data-session-id={s._id} onClick={() => open(`/minutes/view/index?id=${encodeURIComponent(s._id)}`)}>
                    会议记录
                  </Button>
                ) : null}
                {ended ? (
                  <Button className='session-makeup' data-session-id={s._id} onClick={() => open(`/secretary/makeup/index?id=${encodeURIComponent(s._id)}`)}>
                    安排补学
                  </Button>
                ) : (
                  <>
                    <Button className='session-edit' data-session-id={s._id} onClick={() => open(`/secretary/schedule/index?id=${encodeURIComponent(s._id)}`)}>
                      修改
                    </Button>
                    <Button className='session-cancel' data-session-id={s._id} onClick={() => setCancelling(s._id)}>
                      取消活动
                    </Button>
                  </>
                )}
                {cancelling === s._id ? (
                  <ReasonPanel
                    prefix='cancel'
                    title='只取消这一场，同一系列的其他场次不变。取消原因：'
                    placeholder='例如：与上级会议时间冲突，改期另行通知'
                    required='请写明取消的原因，党员会看到。'
                    backText='不取消了'
                    confirmText='取消这场活动'
                    failText='没有取消成功，请稍后再试'
                    onClose={() => setCancelling(null)}
                    onConfirm={async (reason) => {
                      await cancelSession(s._id, reason)
                      Taro.showToast({ title: '已取消这场活动', icon: 'none' }).catch(() => undefined)
                      setCancelling(null)
                      refresh()
                    }}
                  />
                ) : null}
              </View>
            ) : null}
          </SessionCard>
        )
      })}
    </View>
  )
}

export default withPageBoundary(Sessions)
