import { useState } from 'react'
import { Button, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { mine, type MineRow, type MyRecord as RecordData } from '../../api/checkin'
import { MAKEUP_STANDING_LABELS, makeupStanding } from '../../core/checkin/makeup'
import { ATTENDANCE_STATE_LABELS } from '../../core/checkin/states'
import { periodKeysOf } from '../../core/period'
import { useRequest } from '../../hooks/useRequest'
import StatusBlock from '../StatusBlock'
import { dayText, percentText, timeText, typeLabel } from '../format'
import './index.scss'

function rowLabel(row: MineRow): string {
  const base = ATTENDANCE_STATE_LABELS[row.state] ?? ''
  if (row.pendingAt !== undefined && (row.state === 'upcoming' || row.state === 'absent')) return '扫码待确认'
  if (row.state === 'upcoming' && row.leaveStatus === 'pending') return '请假待审批'
  // Leave asked after the session (补请假): the absence stands until the secretary approves it.
  if (row.state === 'absent' && row.leaveStatus === 'pending') return '缺席 · 补请假待审批'
  // 已补学 only once the secretary accepted it (the row's state); until then the absence stands beside the make-up.
  const mu = makeupStanding(row.makeupStatus ? { status: row.makeupStatus } : null)
  if ((row.state === 'absent' || row.state === 'leave') && mu !== 'none' && mu !== 'done') return `${base} · ${MAKEUP_STANDING_LABELS[mu]}`
  return base
}

function Counts({ rec, self }: { rec: RecordData; self: boolean }) {
  const c = rec.counts
  const items = [
    { key: 'due', label: '应到', value: c.due },
    { key: 'attended', label: '已签到', value: c.attended },
    { key: 'late', label: '迟到', value: c.late },
    { key: 'leave', label: '请假', value: c.leave },
    { key: 'made_up', label: '已补学', value: c.madeUp },
    { key: 'absent', label: '缺席', value: c.absent }
  ]
  return (
    <View className='record-summary'>
      <View className='record-rate'>
        <Text className='record-rate-label'>出勤率</Text>
        <Text className='record-rate-value' data-rate={rec.rate === null ? '' : String(rec.rate)}>
          {percentText(rec.rate)}
        </Text>
      </View>
      <View className='record-counts'>
        {items.map((i) => (
          <View key={i.key} className={`record-count record-count-${i.key}`}>
            <Text className='record-count-value'>{i.value}</Text>
            <Text className='record-count-label'>{i.label}</Text>
          </View>
        ))}
      </View>
      <Text className='record-explain'>
        {`出勤率 =（已签到 + 迟到）÷ 应到。“应到”是 ${rec.year} 年已经举行、需要${self ? '您' : '这位同志'}参加的 ${c.held} 场活动，减去书记批准请假的场次；还没举行的 ${c.upcoming} 场不算在内。补学经书记审阅通过后记为“已补学”，写在原来的缺席或请假旁边，不改变缺席次数。`}
      </Text>
    </View>
  )
}

/** 我的组织生活记录: every session of the year I was expected at, and how I stood. */
export default function MyRecord({ memberId, title }: { memberId?: string; title?: string } = {}) {
  const thisYear = Number(periodKeysOf(Date.now()).year)
  const [year, setYear] = useState(thisYear)
  const req = useRequest(`record:${memberId ?? 'me'}:${year}`, () => mine(year, memberId))
  // Held sessions newest first, then the ones still to come (soonest first).
  const all = req.data?.rows ?? []
  const held = all.filter((r) => r.state !== 'upcoming').sort((a, b) => b.startAt - a.startAt)
  const coming = all.filter((r) => r.state === 'upcoming').sort((a, b) => a.startAt - b.startAt)

  const renderRow = (row: MineRow) => (
    <View
      key={row.sessionId}
      className={`record-row record-state-${row.state}`}
      data-session-id={row.sessionId}
      hoverClass={memberId ? 'none' : 'record-row--pressed'}
      onClick={() => {
        if (!memberId) Taro.navigateTo({ url: `/pages/session/index?id=${encodeURIComponent(row.sessionId)}` })
      }}
    >
      <View className='record-row-main'>
        <Text className='record-row-title'>{row.title}</Text>
        <Text className='record-row-when'>
          {typeLabel(row.type)} · {dayText(row.startAt)} {timeText(row.startAt)}
        </Text>
      </View>
      <Text className='record-row-state'>
        {rowLabel(row)}
        {row.recorded || row.leaveRecorded ? ' · 补录' : ''}
      </Text>
    </View>
  )

  return (
    <View className='my-record'>
      <View className='record-head'>
        <Text className='record-title'>{title ?? '我的组织生活记录'}</Text>
        <View className='record-years'>
          {year > thisYear - 5 ? (
            <Button className='record-year-btn record-year-prev' onClick={() => setYear(year - 1)}>
              ‹ {year - 1}
            </Button>
          ) : null}
          <Text className='record-year'>{year} 年</Text>
          {year < thisYear ? (
            <Button className='record-year-btn record-year-next' onClick={() => setYear(year + 1)}>
              {year + 1} ›
            </Button>
          ) : null}
        </View>
      </View>
      <StatusBlock loading={req.loading} error={req.error} onRetry={req.retry} loadingText='正在读取您的记录…' />
      {req.data && !req.loading ? (
        <View className='record-body'>
          <Counts rec={req.data} self={!memberId} />
          {all.length === 0 ? <Text className='record-empty'>{year} 年没有需要{memberId ? '这位同志' : '您'}参加的活动。</Text> : null}
          {held.map(renderRow)}
          {coming.length > 0 ? <Text className='record-sub'>还没举行的活动</Text> : null}
          {coming.map(renderRow)}
        </View>
      ) : null}
    </View>
  )
}
