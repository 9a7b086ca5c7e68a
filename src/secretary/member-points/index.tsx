import { useState } from 'react'
import { Text, View } from '@tarojs/components'
import { useRouter } from '@tarojs/taro'
import { ApiError } from '../../api'
import { points } from '../../api/stats'
import StatusBlock from '../../components/StatusBlock'
import PeriodPicker from '../../components/PeriodPicker'
import PointsLedger from '../../components/PointsLedger'
import { isValidPeriodKey, periodKeysOf } from '../../core/period'
import { useMe } from '../../hooks/useMe'
import { useRequest } from '../../hooks/useRequest'
import { useRefreshRound } from '../../hooks/useShownAgain'
import AdjustForm from './AdjustForm'
import './index.scss'
import { useLargeText } from '../../hooks/useLargeText'
import { withPageBoundary } from '../../components/PageBoundary'

function param(raw: string | undefined): string {
  try {
    return decodeURIComponent(raw ?? '')
  } catch {
    return raw ?? ''
  }
}

/** A member's points ledger for an officer of their branch, with 调整积分. */
function MemberPoints() {
  const lt = useLargeText()
  const { params } = useRouter()
  const memberId = param(params.id || params.memberId)
  const fromLink = param(params.period)
  const { me } = useMe()
  const [period, setPeriod] = useState(() => (isValidPeriodKey(fromLink) ? fromLink : periodKeysOf(Date.now()).quarter))
  const [round, refresh] = useRefreshRound()
  const req = useRequest(memberId ? `mp:${memberId}:${period}:${round}` : null, () => points(period, memberId))
  const data = req.data
  const self = !!me && me.member._id === memberId

  if (!memberId) {
    return (
      <View className={`page member-points-page ${lt.className}`}>
        <StatusBlock error={new ApiError('NOT_FOUND', '没有指定党员，请从排行或预警页面进入')} />
      </View>
    )
  }

  return (
    <View className={`page member-points-page ${lt.className}`}>
      <Text className='page-title'>{data ? `${data.name}的积分` : '党员积分'}</Text>
      <PeriodPicker value={period} onChange={setPeriod} />
      {data ? <PointsLedger data={data} self={false} /> : <StatusBlock loading={req.loading} error={req.error} onRetry={req.retry} />}
      {data && !self ? <AdjustForm memberId={memberId} name={data.name} onSaved={refresh} /> : null}
      {data && self ? <Text className='form-hint'>不能调整自己的积分，如有需要请由其他支委办理。</Text> : null}
    </View>
  )
}

export default withPageBoundary(MemberPoints)
