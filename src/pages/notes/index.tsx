import { useState } from 'react'
import { Button, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { listAllNotes, progress, type NoteProgress, type NoteSummary } from '../../api/notes'
import ProgressRing from '../../components/ProgressRing'
import StatusBlock from '../../components/StatusBlock'
import { paceLabel, paceTone } from '../../components/notePace'
import { DEFAULT_ESSAY_MIN_WORDS, essayStanding, essayStandingText } from '../../core/notes/essay'
import { formatShanghai, periodKeysOf } from '../../core/period'
import { NOTE_KIND_LABELS, REVIEW_STATUS_LABELS } from '../../core/vocab/note'
import { useLargeText } from '../../hooks/useLargeText'
import { useMe } from '../../hooks/useMe'
import { useRequest } from '../../hooks/useRequest'
import { useRefreshRound } from '../../hooks/useShownAgain'
import Figures from '../../components/Figures'
import { withPageBoundary } from '../../components/PageBoundary'
import './index.scss'
import Badge from '../../components/Badge'

const FIRST_YEAR = 2020

function thisYear(): number {
  return Number(periodKeysOf(Date.now()).year)
}

function Progress({ p, year, current }: { p: NoteProgress; year: number; current: boolean }) {
  const status = p.paceStatus
  const ratio = p.wordQuota > 0 ? p.creditedWords / p.wordQuota : 0
  const pace = p.wordQuota > 0 && current ? p.paceWords / p.wordQuota : undefined
  return (
    <View
      className={`notes-progress notes-pace-${status}`}
      data-credited={p.creditedWords}
      data-quota={p.exempt ? 0 : p.wordQuota}
      data-essays={p.essays}
      data-pace={status}
    >
      {p.exempt ? (
        <View className='notes-exempt'>
          <Text className='notes-big'>{p.creditedWords.toLocaleString()} 字</Text>
          <Text className='notes-line'>{year} 年已记录（计入字数）</Text>
          <Text className='notes-line notes-exempt-text'>您已免除字数要求，仍可随时记录学习笔记</Text>
        </View>
      ) : (
        <View className='notes-progress-body'>
          <ProgressRing value={ratio} pace={pace}>
            <Text className='notes-ring-num'>{Math.min(999, Math.floor(ratio * 100))}%</Text>
            <Text className='notes-ring-label'>字数</Text>
          </ProgressRing>
          <View className='notes-progress-facts'>
            <Text className='notes-line'>
              <Text className='notes-strong num'>{p.creditedWords.toLocaleString()}</Text> / <Text className='num'>{p.wordQuota.toLocaleString()} 字</Text>
            </Text>
            <Text className='notes-line'>
              心得体会 <Text className='notes-strong num'>{p.essays}</Text> / <Text className='num'>{p.essayQuota} 篇</Text>
            </Text>
            <Figures className='notes-essay-rule' text={essayRuleText(p.essayMinWords ?? DEFAULT_ESSAY_MIN_WORDS)} />
            {current ? (
              <Badge tone={paceTone(status)} className={`notes-pace-badge notes-pace-badge-${status}`}>
                {paceLabel(status)}
              </Badge>
            ) : null}
          </View>
        </View>
      )}
      {!p.exempt ? <Figures className='notes-pace-sentence' text={p.paceSentence} /> : null}
    </View>
  )
}

/** The rule a 心得 must meet to count, in one line beside the count. */
function essayRuleText(minWords: number): string {
  return `每篇计入字数满 ${minWords} 字、一半以上是自己写的，才计入篇数；退回修改的暂不计入。`
}

function NoteRow({ n, essayMinWords }: { n: NoteSummary; essayMinWords: number }) {
  const status = n.review?.status ?? 'pending'
  // Why a 心得 does not count toward the year's essays, by the same judge the server counts with.
  const essayNote = n.kind === 'essay' ? essayStandingText(essayStanding(n, essayMinWords), essayMinWords) : ''
  return (
    <View
      className={`note-row note-row-${n.kind}`}
      data-note-id={n._id}
      hoverClass='note-row--pressed'
      onClick={() => Taro.navigateTo({ url: `/pages/note/index?id=${encodeURIComponent(n._id)}` })}
    >
      <View className='note-row-head'>
        <Text className='note-row-kind'>{`${NOTE_KIND_LABELS[n.kind] ?? '笔记'}${n.sessionId ? ' · 交流材料' : ''}`}</Text>
        <Text className={`note-row-status note-status-${status}`} data-status={status}>
          {REVIEW_STATUS_LABELS[status] ?? ''}
        </Text>
      </View>
      <Text className='note-row-title'>{n.title}</Text>
      <Text className='note-row-meta'>
        <Text className='num'>{formatShanghai(n.updatedAt, 'M月D日')}</Text> · <Text className='num'>{n.words} 字</Text>
        {n.creditedWords < n.words ? <Figures text={`（计入 ${n.creditedWords} 字）`} /> : ''}
      </Text>
      {n.review?.comment ? <Text className='note-row-comment'>书记意见：{n.review.comment}</Text> : null}
      {n.matchCount > 0 ? <Text className='note-row-match'>有 {n.matchCount} 处与已有笔记重复，未计入字数</Text> : null}
      {essayNote ? <Figures className='note-row-essay' text={essayNote} /> : null}
    </View>
  )
}

/** 笔记: this year's progress against the quota, the pace, and my notes; past years stay readable. */
function Notes() {
  const { me } = useMe()
  const lt = useLargeText(me)
  const current = thisYear()
  const [year, setYear] = useState(current)
  const [round] = useRefreshRound()
  const key = me ? `${me.member._id}:${year}:${round}` : null
  const prog = useRequest(key, () => progress(year))
  const list = useRequest(key, () => listAllNotes({ year }))
  const isCurrent = year === current

  return (
    <View className={`page notes-page ${lt.className}`}>
      <View className='notes-year'>
        {year > FIRST_YEAR ? (
          <Button className='notes-year-prev' onClick={() => setYear((y) => Math.max(FIRST_YEAR, y - 1))}>
            ‹ {year - 1}
          </Button>
        ) : (
          <View className='notes-year-spacer' />
        )}
        <Text className='notes-year-label' data-year={year}>
          {year} 年
        </Text>
        {year < current ? (
          <Button className='notes-year-next' onClick={() => setYear((y) => Math.min(current, y + 1))}>
            {year + 1} ›
          </Button>
        ) : (
          <View className='notes-year-spacer' />
        )}
      </View>

      {prog.data ? (
        <Progress p={prog.data} year={year} current={isCurrent} />
      ) : (
        <StatusBlock loading={prog.loading} error={prog.error} onRetry={prog.retry} />
      )}

      {isCurrent ? (
        <Button className='notes-new' onClick={() => Taro.navigateTo({ url: '/pages/note-edit/index' })}>
          写笔记
        </Button>
      ) : null}

      <Text className='notes-section'>
        {isCurrent ? '我的笔记' : `${year} 年的笔记`}
        {list.data ? `（${list.data.total} 篇）` : ''}
      </Text>
      {prog.error && list.error ? null : <StatusBlock loading={list.loading && !list.data} error={list.error} onRetry={list.retry} />}
      {list.data && list.data.notes.length === 0 ? (
        <Text className='notes-empty'>{isCurrent ? '今年还没有笔记。点“写笔记”，写一段学习体会吧。' : '这一年没有笔记。'}</Text>
      ) : null}
      {list.data ? (
        <View className='notes-list'>
          {list.data.notes.map((n) => (
            <NoteRow key={n._id} n={n} essayMinWords={prog.data?.essayMinWords ?? DEFAULT_ESSAY_MIN_WORDS} />
          ))}
        </View>
      ) : null}
    </View>
  )
}

export default withPageBoundary(Notes)
