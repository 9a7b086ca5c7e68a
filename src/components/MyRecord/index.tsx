import { useState } from 'react'
import { Button, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { mine, type MineRow, type MyRecord as RecordData } from '../../api/checkin'
import { MAKEUP_STANDING_LABELS, makeupStanding } from '../../core/checkin/makeup'
import { attendanceFigures } from '../../core/checkin/attendance'
import { EXPECTED_WORD, FINAL_WORDS, LEAVE_PENDING_WORD, PRESENT_WORD, RATE_WORD, SCAN_PENDING_WORD, rateText, stateWord, yearFiguresParts } from '../../core/checkin/words'
import { periodKeysOf } from '../../core/period'
import { useRequest } from '../../hooks/useRequest'
import StatusBlock from '../StatusBlock'
import { dayText, timeText, typeLabel } from '../format'
import './index.scss'

/** The row's word, as the session page and the 个人档案 print it (core/checkin/words.ts). */
function rowLabel(row: MineRow, now: number): string {
  const excused = row.at === undefined && row.leaveStatus === 'approved'
  const base = stateWord(row.state, { excused, checkinOpened: now >= row.startAt })
  if (row.pendingAt !== undefined && (row.state === 'upcoming' || row.state === 'absent')) return SCAN_PENDING_WORD
  if (row.state === 'upcoming' && row.leaveStatus === 'pending') return LEAVE_PENDING_WORD
  // Leave asked after the session (补请假): the absence stands until the secretary approves it.
  if (row.state === 'absent' && row.leaveStatus === 'pending') return `${base} · 补请假待审批`
  // 已补学 only once the secretary accepted it (the row's state); until then the absence stands beside the make-up.
  const mu = makeupStanding(row.makeupStatus ? { status: row.makeupStatus } : null)
  if ((row.state === 'absent' || row.state === 'leave') && mu !== 'none' && mu !== 'done') return `${base} · ${MAKEUP_STANDING_LABELS[mu]}`
  return base
}

function Counts({ rec, self }: { rec: RecordData; self: boolean }) {
  const c = rec.counts
  // The one definition every view shares (core/checkin/attendance.ts).
  const f = attendanceFigures(c)
  const items = [
    { key: 'expected', label: EXPECTED_WORD, value: f.expected },
    { key: 'present', label: PRESENT_WORD, value: f.present },
    { key: 'late', label: FINAL_WORDS.late, value: f.late },
    { key: 'leave', label: FINAL_WORDS.leave, value: f.leave },
    { key: 'made_up', label: FINAL_WORDS.made_up, value: f.madeUp },
    { key: 'absent', label: FINAL_WORDS.absent, value: f.absent }
  ]
  return (
    <View className='record-summary'>
      <View className='record-rate'>
        <Text className='record-rate-label'>{RATE_WORD}</Text>
        <Text className='record-rate-value' data-rate={rec.rate === null ? '' : String(rec.rate)}>
          {rateText(rec.rate)}
        </Text>
      </View>
      <View className='record-figures'>
        {/* Each figure stays whole with its unit; the line may wrap between them. */}
        {yearFiguresParts({ ...f, rate: rec.rate }).map((part) => (
          <Text key={part} className='record-figure num'>{part}</Text>
        ))}
      </View>
      <View className='record-counts'>
        {items.map((i) => (
          <View key={i.key} className={`record-count record-count-${i.key}`} data-value={i.value}>
            <Text className='record-count-value'>{i.value}</Text>
            <Text className='record-count-label'>{i.label}</Text>
          </View>
        ))}
      </View>
      <Text className='record-explain'>
        {`${RATE_WORD} = ${PRESENT_WORD} ÷（${EXPECTED_WORD} − 请假）。“${EXPECTED_WORD}”是 ${rec.year} 年已经举行、需要${self ? '您' : '这位同志'}参加的 ${f.expected} 场活动（含请假的场次），“${PRESENT_WORD}”是其中出席和迟到的场次；还没举行的 ${c.upcoming} 场不算在内。补学经书记审阅通过后记为“已补学”，写在原来的缺席或请假旁边，不改变缺席次数。`}
      </Text>
    </View>
  )
}

/** 我的组织生活记录: every session of the year I was expected at, and how I stood. */
export default function MyRecord({ memberId, title }: { memberId?: string; title?: string } = {}) {
  const now = Date.now()
  const thisYear = Number(periodKeysOf(now).year)
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
        {rowLabel(row, now)}
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
