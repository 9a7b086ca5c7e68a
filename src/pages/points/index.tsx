import { useState } from 'react'
import { Text, View } from '@tarojs/components'
import { useRouter } from '@tarojs/taro'
import { points } from '../../api/stats'
import StatusBlock from '../../components/StatusBlock'
import PeriodPicker from '../../components/PeriodPicker'
import PointsLedger from '../../components/PointsLedger'
import { isValidPeriodKey, periodKeysOf } from '../../core/period'
import { useLargeText } from '../../hooks/useLargeText'
import { useMe } from '../../hooks/useMe'
import { useRequest } from '../../hooks/useRequest'
import { useRefreshRound } from '../../hooks/useShownAgain'
import { withPageBoundary } from '../../components/PageBoundary'
import './index.scss'

/** `?period=2026-Q3` from the 排行 tab; the current quarter otherwise. */
function initialPeriod(raw: string | undefined): string {
  let key = ''
  try {
    key = decodeURIComponent(raw ?? '')
  } catch {
    key = ''
  }
  return isValidPeriodKey(key) ? key : periodKeysOf(Date.now()).quarter
}

/** 我的积分: the total for a period, every entry with its reason, and the rules. */
function PointsPage() {
  const { params } = useRouter()
  const { me, loading, error, reload } = useMe()
  const lt = useLargeText(me)
  const [period, setPeriod] = useState(() => initialPeriod(params.period))
  const [round] = useRefreshRound()
  const req = useRequest(me ? `points:${me.member._id}:${period}:${round}` : null, () => points(period))

  return (
    <View className={`page points-page ${lt.className}`}>
      <Text className='page-title'>我的积分</Text>
      {!me ? <StatusBlock loading={loading} error={error} onRetry={reload} /> : null}
      {me ? <PeriodPicker value={period} onChange={setPeriod} /> : null}
      {req.data ? (
        <PointsLedger data={req.data} self />
      ) : (
        <StatusBlock loading={req.loading} error={req.error} onRetry={req.error?.code === 'NOT_AVAILABLE' ? undefined : req.retry} />
      )}
    </View>
  )
}

export default withPageBoundary(PointsPage)
