import { useState } from 'react'
import { Text, View } from '@tarojs/components'
import { useRouter } from '@tarojs/taro'
import { warnings as fetchWarnings } from '../../api/stats'
import StatusBlock from '../../components/StatusBlock'
import PeriodPicker from '../../components/PeriodPicker'
import { periodShortName } from '../../components/statsText'
import { isValidPeriodKey, parsePeriod, periodKeysOf } from '../../core/period'
import { useMe } from '../../hooks/useMe'
import { useRequest } from '../../hooks/useRequest'
import { useRefreshRound } from '../../hooks/useShownAgain'
import WarningCard, { ART9_TEXT } from './WarningCard'
import './index.scss'
import { useLargeText } from '../../hooks/useLargeText'
import { withPageBoundary } from '../../components/PageBoundary'

function initialQuarter(raw: string | undefined): string {
  const key = raw ?? ''
  return isValidPeriodKey(key) && parsePeriod(key).kind === 'quarter' ? key : periodKeysOf(Date.now()).quarter
}

/**
 * 双色预警: whom to care for this quarter and why. The Art. 9 alerts (months
 * without organisational life) come first, since they cannot wait.
 */
function Warnings() {
  const lt = useLargeText()
  const { params } = useRouter()
  const { me, loading, error, reload } = useMe()
  const [quarter, setQuarter] = useState(() => initialQuarter(params.quarter))
  const [round] = useRefreshRound()
  const branchId = me ? me.member.branchId : null
  const req = useRequest(branchId ? `warn:${branchId}:${quarter}:${round}` : null, () => fetchWarnings(branchId as string, quarter))
  const data = req.data
  const list = data ? data.warnings : []
  const alerts = list.filter((w) => w.alert)
  const others = list.filter((w) => !w.alert)
  const when = periodShortName(quarter, Date.now())

  return (
    <View className={`page warnings-page ${lt.className}`}>
      <Text className='page-title'>双色预警</Text>
      <Text className='page-lead'>
        按缺席次数、积分和笔记进度，提醒您关心哪些同志。预警只有书记、支委能看到，事实改变后会自动解除。
      </Text>
      <PeriodPicker value={quarter} onChange={setQuarter} kinds={['quarter']} />
      {!me ? <StatusBlock loading={loading} error={error} onRetry={reload} /> : null}
      <StatusBlock loading={req.loading && !data} error={req.error} onRetry={req.retry} />

      {data && alerts.length > 0 ? (
        <View className='warnings-alerts' data-count={alerts.length}>
          <Text className='warnings-alerts-title'>需要尽快联系的同志（{alerts.length} 人）</Text>
          <Text className='warnings-art9'>{ART9_TEXT}</Text>
          {alerts.map((w) => (
            <WarningCard key={w.memberId} w={w} quarter={quarter} />
          ))}
        </View>
      ) : null}

      {data && others.length > 0 ? (
        <View className='warnings-list' data-count={others.length}>
          <Text className='warnings-section'>
            {when}预警（{others.length} 人）
          </Text>
          {others.map((w) => (
            <WarningCard key={w.memberId} w={w} quarter={quarter} />
          ))}
        </View>
      ) : null}

      {data && list.length === 0 ? (
        <View className='warnings-empty'>
          <Text className='warnings-empty-title'>{when}没有需要预警的同志</Text>
          <Text className='warnings-empty-text'>大家都按时参加了组织生活，学习也跟得上。谢谢您平时的用心，继续保持！</Text>
        </View>
      ) : null}

      {data && data.exemptCount > 0 ? (
        <Text className='warnings-exempt'>另有 {data.exemptCount} 位免考核党员（高龄、长期病休或行动不便）不参加预警。</Text>
      ) : null}
    </View>
  )
}

export default withPageBoundary(Warnings)
