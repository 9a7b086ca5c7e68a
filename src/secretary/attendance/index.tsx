import { useState } from 'react'
import { Button, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { members as fetchMembers } from '../../api/org'
import { cadence as fetchCadence, dualLife as fetchDualLife, type CadenceItem } from '../../api/sessions'
import MyRecord from '../../components/MyRecord'
import StatusBlock from '../../components/StatusBlock'
import { fullDayText, typeLabel } from '../../components/format'
import { parsePeriod, periodKeysOf } from '../../core/period'
import { useMe } from '../../hooks/useMe'
import { useRequest } from '../../hooks/useRequest'
import MonthNav from '../components/MonthNav'
import './index.scss'
import { useLargeText } from '../../hooks/useLargeText'
import { withPageBoundary } from '../../components/PageBoundary'

const RULE_TEXT =
  '三会一课的要求：支委会、党小组会每月召开一次，主题党日每月一次，支部党员大会、党课每季度至少一次。'

function periodName(key: string): string {
  const p = parsePeriod(key)
  if (p.kind === 'month') return `${p.month}月`
  if (p.kind === 'quarter') return `第${p.quarter}季度`
  return `${p.year}年`
}

function itemName(i: CadenceItem): string {
  return `${periodName(i.period)}${i.groupName ? i.groupName : ''}${i.label || typeLabel(i.type)}`
}

const STATUS_TEXT: Record<CadenceItem['status'], string> = {
  met: '已完成',
  scheduled: '已安排',
  missing: '还缺'
}

function CadenceRow({ item }: { item: CadenceItem }) {
  return (
    <View className={`cadence-item cadence-status-${item.status}`} data-type={item.type} data-period={item.period} data-status={item.status}>
      <View className='cadence-item-main'>
        <Text className='cadence-item-name'>{itemName(item)}</Text>
        <Text className='cadence-item-figures'>
          要求 {item.required} 次 · 已开 {item.held} 次{item.scheduled ? ` · 已安排 ${item.scheduled} 次` : ''}
        </Text>
      </View>
      <Text className='cadence-item-status'>
        {item.status === 'missing' && item.periodEnded ? '未完成' : STATUS_TEXT[item.status]}
      </Text>
    </View>
  )
}

function CadenceSection({ branchId }: { branchId: string }) {
  const nowKeys = periodKeysOf(Date.now())
  const [kind, setKind] = useState<'month' | 'quarter'>('month')
  const [period, setPeriod] = useState(nowKeys.month)
  const req = useRequest(`cadence:${branchId}:${period}`, () => fetchCadence(branchId, period))
  const choose = (k: 'month' | 'quarter') => {
    setKind(k)
    setPeriod(k === 'month' ? nowKeys.month : nowKeys.quarter)
  }
  const data = req.data
  const missing = data?.missing ?? []
  const met = (data?.items ?? []).filter((i) => i.status === 'met')
  return (
    <View className='att-section cadence'>
      <Text className='att-title'>三会一课完成情况</Text>
      <View className='att-tabs'>
        <Text className={`att-tab cadence-tab-month${kind === 'month' ? ' att-tab--on' : ''}`} onClick={() => choose('month')}>
          按月
        </Text>
        <Text className={`att-tab cadence-tab-quarter${kind === 'quarter' ? ' att-tab--on' : ''}`} onClick={() => choose('quarter')}>
          按季度
        </Text>
      </View>
      <MonthNav period={period} onChange={setPeriod} max={kind === 'month' ? nextMonthLimit(nowKeys.month) : undefined} />
      <Text className='att-rule'>{RULE_TEXT}</Text>
      <StatusBlock loading={req.loading && !data} error={req.error} onRetry={req.retry} />
      {data ? (
        <View className='cadence-body'>
          {missing.length === 0 ? (
            <Text className='cadence-ok'>{periodName(period)}要求的会议都已完成或已安排。</Text>
          ) : (
            <View className='cadence-missing'>
              <Text className='att-subtitle'>还没有完成的（{missing.length} 项）</Text>
              {missing.map((i) => (
                <CadenceRow key={`${i.type}:${i.period}:${i.groupId ?? ''}`} item={i} />
              ))}
              <Button className='cadence-schedule' onClick={() => Taro.navigateTo({ url: '/secretary/schedule/index' })}>
                去安排活动
              </Button>
            </View>
          )}
          {met.length > 0 ? (
            <View className='cadence-met'>
              <Text className='att-subtitle'>已完成</Text>
              {met.map((i) => (
                <CadenceRow key={`${i.type}:${i.period}:${i.groupId ?? ''}`} item={i} />
              ))}
            </View>
          ) : null}
          {!data.hasCommittee ? <Text className='att-note'>本支部党员不足 7 人，不设支委会，不检查支委会。</Text> : null}
        </View>
      ) : null}
    </View>
  )
}

/** The month navigator may look one month ahead (sessions already scheduled), not further. */
function nextMonthLimit(month: string): string {
  const [y, m] = month.split('-').map(Number)
  const idx = y * 12 + m
  return `${Math.floor(idx / 12)}-${String((idx % 12) + 1).padStart(2, '0')}`
}

function DualLifeSection({ branchId }: { branchId: string }) {
  const [month, setMonth] = useState(periodKeysOf(Date.now()).month)
  const req = useRequest(`dual:${branchId}:${month}`, () => fetchDualLife(branchId, month))
  const data = req.data
  return (
    <View className='att-section dual-life'>
      <Text className='att-title'>领导干部双重组织生活</Text>
      <Text className='att-rule'>领导干部每月至少以普通党员身份参加一次所在支部的活动。下面列出本月还没有参加的同志。</Text>
      <MonthNav period={month} onChange={setMonth} max={periodKeysOf(Date.now()).month} />
      <StatusBlock loading={req.loading && !data} error={req.error} onRetry={req.retry} />
      {data ? (
        <View className='dual-body' data-leaders={data.leaders} data-missing={data.missing.length}>
          <Text className='att-subtitle'>
            本支部领导干部 {data.leaders} 人，{periodName(month)}未参加 {data.missing.length} 人
          </Text>
          {data.leaders === 0 ? <Text className='att-note'>本支部没有标记为领导干部的党员。</Text> : null}
          {data.missing.map((r) => (
            <View key={r.member._id} className='dual-row' data-member-id={r.member._id}>
              <Text className='dual-name'>{r.member.name}</Text>
              <Text className='dual-detail'>
                本月支部活动 {r.sessionsInMonth} 场，
                {r.lastAttendedAt ? `上次参加是 ${fullDayText(r.lastAttendedAt)}` : '没有参加记录'}
              </Text>
            </View>
          ))}
          {(data.pending ?? []).length > 0 ? (
            <View className='dual-pending' data-pending={data.pending.length}>
              <Text className='att-note'>下面几位同志本月还没有参加，但还有机会，不算未参加：</Text>
              {data.pending.map((r) => (
                <View key={r.member._id} className='dual-row dual-row--pending' data-member-id={r.member._id}>
                  <Text className='dual-name'>{r.member.name}</Text>
                  <Text className='dual-detail'>{r.upcomingInMonth > 0 ? `本月还有 ${r.upcomingInMonth} 场活动` : '本月支部还没有安排活动'}</Text>
                </View>
              ))}
            </View>
          ) : null}
        </View>
      ) : null}
    </View>
  )
}

function MemberRecords({ branchId }: { branchId: string }) {
  const req = useRequest(`members:${branchId}`, () => fetchMembers(branchId))
  const [chosen, setChosen] = useState<string | null>(null)
  const person = req.data?.find((m) => m._id === chosen)
  return (
    <View className='att-section member-records'>
      <Text className='att-title'>党员个人记录</Text>
      <Text className='att-rule'>点一位同志，查看他今年每场活动的签到、请假和补学情况。</Text>
      <StatusBlock loading={req.loading && !req.data} error={req.error} onRetry={req.retry} />
      <View className='att-people'>
        {(req.data ?? []).map((m) => (
          <Text
            key={m._id}
            className={`att-person${chosen === m._id ? ' att-person--on' : ''}`}
            data-member-id={m._id}
            onClick={() => setChosen(chosen === m._id ? null : m._id)}
          >
            {m.name}
          </Text>
        ))}
      </View>
      {person ? <MyRecord key={person._id} memberId={person._id} title={`${person.name}的组织生活记录`} /> : null}
    </View>
  )
}

/** 考勤: cadence of required meetings, leaders' dual organisational life, each member's record. */
function Attendance() {
  const lt = useLargeText()
  const { me, loading, error, reload } = useMe()
  const branchId = me ? me.member.branchId : null
  if (!branchId) {
    return (
      <View className={`page attendance-page ${lt.className}`}>
        <StatusBlock loading={loading} error={error} onRetry={reload} />
      </View>
    )
  }
  return (
    <View className={`page attendance-page ${lt.className}`}>
      <CadenceSection branchId={branchId} />
      <DualLifeSection branchId={branchId} />
      <MemberRecords branchId={branchId} />
    </View>
  )
}

export default withPageBoundary(Attendance)
