import { useState } from 'react'
import { Button, Text, View } from '@tarojs/components'
import { report as fetchReport, reportOrgId, type ReportResult } from '../../api/stats'
import StatusBlock from '../../components/StatusBlock'
import StatTile from '../../components/StatTile'
import PeriodPicker from '../../components/PeriodPicker'
import { momentText, percentText } from '../../components/format'
import { periodName } from '../../components/statsText'
import { WARNING_LEVEL_LABELS } from '../../core/vocab/stats'
import { periodKeysOf } from '../../core/period'
import { useMe } from '../../hooks/useMe'
import { useRequest } from '../../hooks/useRequest'
import ReportTable, { scoreTexts } from './ReportTable'
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
    { key: 'branches', label: '支部', value: t.branches, unit: '个' },
    { key: 'members', label: '参加考核党员', value: t.members, unit: '人' },
    { key: 'att', label: '参会率', value: percentText(t.attendanceRate) },
    { key: 'quota', label: '笔记完成率', value: percentText(t.quotaRate) },
    { key: 'yellow', label: '黄色预警', value: t.yellow, unit: '人' },
    { key: 'red', label: '红色预警', value: t.red, unit: '人' },
    { key: 'alerts', label: '连续未参加组织生活', value: t.alerts, unit: '人' }
  ]
  return (
    <View className='report-totals'>
      {items.map((i) => (
        <StatTile key={i.key} className={`report-total report-total-${i.key}`} value={i.value} unit={i.unit} label={i.label} />
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

function RedFlag({ data }: { data: ReportResult }) {
  const texts = scoreTexts(data.branches)
  const scores = new Map(data.branches.map((b, i) => [b.branchId, texts[i]]))
  return (
    <View className='report-redflag-block'>
      {data.redFlag.length ? (
        <View className='report-redflag'>
          {data.redFlag.map((r) => (
            <Text key={r.branchId} className='report-redflag-item' data-branch-id={r.branchId}>
              {r.name}（{scores.get(r.branchId) ?? r.score.toFixed(1)} 分）
            </Text>
          ))}
        </View>
      ) : (
        <Text className='report-note report-redflag-none'>本季度没有支部符合红旗党支部候选条件。</Text>
      )}
      <Text className='report-rule-title'>评选办法</Text>
      {data.criteria.map((c, i) => (
        <Text key={i} className='report-rule'>
          {i + 1}. {c}
        </Text>
      ))}
    </View>
  )
}

/** Why each branch outside the candidates could not be one: the facts, so the branch knows what to fix. */
function NotQualified({ rows }: { rows: ReportResult['branches'] }) {
  const list = rows.filter((r) => r.redFlag === 'not_qualified')
  const pending = rows.filter((r) => r.meetings.pending.length > 0)
  if (list.length === 0 && pending.length === 0) return null
  return (
    <View className='report-reasons'>
      {list.length ? <Text className='report-rule-title'>未符合候选条件的支部</Text> : null}
      {list.map((r) => (
        <Text key={r.branchId} className='report-reason' data-branch-id={r.branchId}>
          {r.name}：{r.reasons.join('；')}。
        </Text>
      ))}
      {pending.length ? <Text className='report-rule-title'>本季度尚待召开</Text> : null}
      {pending.map((r) => (
        <Text key={r.branchId} className='report-reason report-pending' data-branch-id={r.branchId}>
          {r.name}：{r.meetings.pending.join('、')}。
        </Text>
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
          <Text className='report-meta'>
            生成时间：{momentText(data.generatedAt)}（按组织生活、参会率、笔记完成率、预警和人均积分比较，人多人少一样公平）
          </Text>
          {data.provisional ? <Text className='report-note report-provisional'>本季度尚未结束：以下是截至目前的情况，红旗党支部候选为暂定。</Text> : null}

          <Text className='report-h2'>一、总体情况</Text>
          <Totals t={data.totals} />

          <Text className='report-h2'>二、红旗党支部候选</Text>
          <RedFlag data={data} />

          <Text className='report-h2'>三、各支部排序</Text>
          <ReportTable rows={[...data.branches].sort((a, b) => a.rank - b.rank)} />
          <NotQualified rows={data.branches} />

          <Text className='report-h2'>四、需要关心的党员</Text>
          <Warned list={data.warned} />
        </View>
      ) : null}
    </View>
  )
}

export default withPageBoundary(Report)
