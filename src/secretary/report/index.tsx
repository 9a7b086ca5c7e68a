import { useState } from 'react'
import { Button, Text, View } from '@tarojs/components'
import { report as fetchReport, reportOrgId, type ReportResult } from '../../api/stats'
import StatusBlock from '../../components/StatusBlock'
import PeriodPicker from '../../components/PeriodPicker'
import { momentText, percentText } from '../../components/format'
import { periodName } from '../../components/statsText'
import { WARNING_LEVEL_LABELS } from '../../core/vocab/stats'
import { periodKeysOf } from '../../core/period'
import { useMe } from '../../hooks/useMe'
import { useRequest } from '../../hooks/useRequest'
import ReportTable from './ReportTable'
import './index.scss'
import { useLargeText } from '../../hooks/useLargeText'
import { withPageBoundary } from '../../components/PageBoundary'

const IS_H5 = process.env.TARO_ENV === 'h5'

function print() {
  // Only the browser can print; on WeChat the button is not shown at all.
  if (process.env.TARO_ENV === 'h5') window.print()
}

function Totals({ t }: { t: ReportResult['totals'] }) {
  const items = [
    { key: 'branches', label: '支部', value: `${t.branches} 个` },
    { key: 'members', label: '参加考核党员', value: `${t.members} 人` },
    { key: 'att', label: '参会率', value: percentText(t.attendanceRate) },
    { key: 'quota', label: '笔记完成率', value: percentText(t.quotaRate) },
    { key: 'yellow', label: '黄色预警', value: `${t.yellow} 人` },
    { key: 'red', label: '红色预警', value: `${t.red} 人` },
    { key: 'alerts', label: '连续未参加组织生活', value: `${t.alerts} 人` }
  ]
  return (
    <View className='report-totals'>
      {items.map((i) => (
        <View key={i.key} className={`report-total report-total-${i.key}`}>
          <Text className='report-total-value'>{i.value}</Text>
          <Text className='report-total-label'>{i.label}</Text>
        </View>
      ))}
    </View>
  )
}

function Warned({ list }: { list: ReportResult['warned'] }) {
  if (list.length === 0) return <Text className='report-note'>本季度没有党员需要预警。</Text>
  return (
    <View className='report-warned'>
      {list.map((w, i) => (
        <View key={`${w.branchId}:${i}`} className={`report-warned-row report-level-${w.level ?? 'alert'}`} data-branch-id={w.branchId}>
          <View className='report-warned-head'>
            <Text className='report-warned-branch'>{w.branchName}</Text>
            <Text className={`report-warned-name${w.name === null ? ' report-warned-name--hidden' : ''}`}>{w.name ?? '已隐去姓名'}</Text>
            <Text className={`report-chip report-chip-${w.level ?? 'alert'}`}>{w.level ? WARNING_LEVEL_LABELS[w.level] : '组织生活预警'}</Text>
          </View>
          {w.facts.map((f, j) => (
            <Text key={j} className='report-warned-fact'>
              · {f}
            </Text>
          ))}
        </View>
      ))}
    </View>
  )
}

/** 季通报: the organisation's branches compared for a quarter, printable from the browser. */
function Report() {
  const lt = useLargeText()
  const { me, loading, error, reload } = useMe()
  const [quarter, setQuarter] = useState(() => periodKeysOf(Date.now()).quarter)
  const orgId = me ? reportOrgId(me) : null
  const req = useRequest(orgId ? `report:${orgId}:${quarter}` : null, () => fetchReport(orgId as string, quarter))
  const data = req.data && req.data.period === quarter ? req.data : undefined
  const refused = req.error?.code === 'FORBIDDEN'

  return (
    <View className={`page report-page ${lt.className}`}>
      <View className='report-noprint'>
        {refused ? <Text className='page-title'>季度通报</Text> : <PeriodPicker value={quarter} onChange={setQuarter} kinds={['quarter']} />}
        {IS_H5 && data ? (
          <Button className='report-print' onClick={print}>
            打印
          </Button>
        ) : null}
      </View>
      {!me ? <StatusBlock loading={loading} error={error} onRetry={reload} /> : null}
      {!data ? <StatusBlock loading={req.loading} error={req.error} onRetry={refused ? undefined : req.retry} /> : null}

      {data ? (
        <View className='report-doc' data-period={data.period}>
          <Text className='report-title'>
            {data.orgName}
            {periodName(data.period)}党建工作通报
          </Text>
          <Text className='report-meta'>生成时间：{momentText(data.generatedAt)}（按参会率、笔记完成率、人均积分比较，人多人少一样公平）</Text>

          <Text className='report-h2'>一、总体情况</Text>
          <Totals t={data.totals} />

          <Text className='report-h2'>二、红旗党支部候选</Text>
          {data.redFlag.length ? (
            <View className='report-redflag'>
              {data.redFlag.map((r) => (
                <Text key={r.branchId} className='report-redflag-item' data-branch-id={r.branchId}>
                  {r.name}（{r.score} 分）
                </Text>
              ))}
            </View>
          ) : (
            <Text className='report-note'>本季度暂无达到条件的支部。</Text>
          )}

          <Text className='report-h2'>三、各支部排序</Text>
          <ReportTable rows={[...data.branches].sort((a, b) => a.rank - b.rank)} />
          <Text className='report-rule'>计分办法：{data.scoreRule}</Text>

          <Text className='report-h2'>四、需要关心的党员</Text>
          <Warned list={data.warned} />
        </View>
      ) : null}
    </View>
  )
}

export default withPageBoundary(Report)
