import { useState } from 'react'
import { Button, Text, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { branchProgress, yearEnd, type NoteBranchRow, type NoteYearEndRow } from '../../api/notes'
import { notesToReview, type NoteToReview } from '../../api/todo'
import StatusBlock from '../../components/StatusBlock'
import { paceLabel, paceRank, paceTone, type PaceKey } from '../../components/notePace'
import { formatShanghai, periodKeysOf } from '../../core/period'
import { NOTE_KIND_LABELS } from '../../core/vocab/note'
import { useMe } from '../../hooks/useMe'
import { useRequest } from '../../hooks/useRequest'
import { useRefreshRound } from '../../hooks/useShownAgain'
import './index.scss'
import { useLargeText } from '../../hooks/useLargeText'
import { withPageBoundary } from '../../components/PageBoundary'
import Badge from '../../components/Badge'

type SortKey = 'pace' | 'words' | 'essays' | 'last' | 'name'
type Filter = 'all' | 'far_behind' | 'behind' | 'on_pace' | 'done' | 'exempt' | 'meets' | 'fails'
type View_ = 'progress' | 'yearEnd' | 'review'

const SORTS: { key: SortKey; label: string }[] = [
  { key: 'pace', label: '落后的在前' },
  { key: 'words', label: '字数少的在前' },
  { key: 'essays', label: '心得少的在前' },
  { key: 'last', label: '久未写的在前' },
  { key: 'name', label: '按姓名' }
]

const FILTERS: { key: Filter; label: string }[] = [
  { key: 'all', label: '全部' },
  { key: 'far_behind', label: '严重滞后' },
  { key: 'behind', label: '偏慢' },
  { key: 'on_pace', label: '正常' },
  { key: 'done', label: '已完成' },
  { key: 'exempt', label: '免于考核' }
]

const YEAR_END_FILTERS: { key: Filter; label: string }[] = [
  { key: 'all', label: '全部' },
  { key: 'fails', label: '未达到' },
  { key: 'meets', label: '达到要求' },
  { key: 'exempt', label: '免于考核' }
]

function matches(r: NoteBranchRow, filter: Filter): boolean {
  if (filter === 'all') return true
  if (filter === 'meets') return !r.exempt && r.meets
  if (filter === 'fails') return !r.exempt && !r.meets
  return r.paceStatus === filter
}

function sortRows<T extends NoteBranchRow>(rows: T[], key: SortKey): T[] {
  const byName = (a: T, b: T) => a.name.localeCompare(b.name, 'zh-Hans-CN')
  const list = rows.slice()
  list.sort((a, b) => {
    switch (key) {
      case 'pace':
        return paceRank(a.paceStatus) - paceRank(b.paceStatus) || a.creditedWords - b.creditedWords || byName(a, b)
      case 'words':
        return a.creditedWords - b.creditedWords || byName(a, b)
      case 'essays':
        return a.essays - b.essays || byName(a, b)
      case 'last':
        return (a.lastNoteAt ?? 0) - (b.lastNoteAt ?? 0) || byName(a, b)
      default:
        return byName(a, b)
    }
  })
  return list
}

function openMember(r: NoteBranchRow, year: number) {
  Taro.navigateTo({
    url: `/secretary/notes/member/index?memberId=${encodeURIComponent(r.memberId)}&year=${year}&name=${encodeURIComponent(r.name)}`
  })
}

function MemberRow({ r, year, yearEndRow }: { r: NoteBranchRow; year: number; yearEndRow?: NoteYearEndRow }) {
  const status: PaceKey = r.paceStatus
  return (
    <View
      className={`sec-note-member sec-pace-${status}`}
      data-member-id={r.memberId}
      data-status={status}
      data-credited={r.creditedWords}
      hoverClass='sec-note-member--pressed'
      onClick={() => openMember(r, year)}
    >
      <View className='sec-note-member-head'>
        <Text className='sec-note-member-name'>{r.name}</Text>
        {yearEndRow ? (
          <Badge
            tone={r.exempt ? 'quiet' : yearEndRow.meets ? 'good' : 'primary'}
            className={`sec-note-meets sec-note-meets-${r.exempt ? 'exempt' : yearEndRow.meets ? 'yes' : 'no'}`}
          >
            {r.exempt ? '免于考核' : yearEndRow.meets ? '达到要求' : '未达到'}
          </Badge>
        ) : (
          <Badge tone={paceTone(status)} className={`sec-pace-badge sec-pace-badge-${status}`}>
            {paceLabel(status)}
          </Badge>
        )}
      </View>
      <Text className='sec-note-member-line'>
        字数 {r.creditedWords.toLocaleString()}
        {r.exempt ? '' : ` / ${r.wordQuota.toLocaleString()}`} · 心得 {r.essays}
        {r.exempt ? '' : ` / ${r.essayQuota}`} 篇
      </Text>
      {yearEndRow && !r.exempt && !yearEndRow.meets ? (
        <Text className='sec-note-member-short'>
          {yearEndRow.wordsShort > 0 ? `还差 ${yearEndRow.wordsShort.toLocaleString()} 字` : ''}
          {yearEndRow.wordsShort > 0 && yearEndRow.essaysShort > 0 ? '，' : ''}
          {yearEndRow.essaysShort > 0 ? `心得还差 ${yearEndRow.essaysShort} 篇` : ''}
        </Text>
      ) : null}
      <Text className='sec-note-member-last'>
        {r.lastNoteAt ? `最近一篇：${formatShanghai(r.lastNoteAt, 'M月D日')}` : '还没有笔记'}
        {!yearEndRow && !r.exempt && r.paceWords > 0 ? ` · 按进度应有 ${r.paceWords.toLocaleString()} 字` : ''}
      </Text>
    </View>
  )
}

function openReview(id: string) {
  Taro.navigateTo({ url: `/secretary/notes/read/index?id=${encodeURIComponent(id)}&queue=1` })
}

/** 待审阅: the notes waiting for this officer, oldest first; one tap starts reviewing them in a row. */
function ReviewQueue({ branchId, round }: { branchId: string; round: number }) {
  const req = useRequest(`queue:${branchId}:${round}`, () => notesToReview(branchId))
  if (!req.data) return <StatusBlock loading={req.loading} error={req.error} onRetry={req.retry} />
  const { notes, total } = req.data
  if (total === 0) return <Text className='sec-notes-empty sec-queue-empty'>没有待审阅的笔记，大家写的都看过了。</Text>
  return (
    <View className='sec-queue' data-total={total}>
      <Text className='sec-queue-total'>{`待审阅 ${total} 篇，先交的在前`}</Text>
      <Button className='sec-queue-start' onClick={() => openReview(notes[0]._id)}>
        从第一篇开始审阅
      </Button>
      {notes.map((n: NoteToReview) => (
        <View key={n._id} className='sec-queue-note' data-note-id={n._id} hoverClass='sec-note-member--pressed' onClick={() => openReview(n._id)}>
          <Text className='sec-queue-note-who'>
            {n.memberName || '党员'} · {NOTE_KIND_LABELS[n.kind] ?? '笔记'}
          </Text>
          <Text className='sec-queue-note-title'>{n.title}</Text>
          <Text className='sec-note-member-line'>
            {formatShanghai(n.createdAt, 'M月D日')} · {n.words.toLocaleString()} 字{n.matchCount > 0 ? ` · ${n.matchCount} 处重复` : ''}
          </Text>
        </View>
      ))}
      {total > notes.length ? <Text className='sec-notes-empty'>{`还有 ${total - notes.length} 篇，审阅完这些再看。`}</Text> : null}
    </View>
  )
}

/** 笔记情况: the branch's words, essays and pace for a year; sort, filter, open a member; 年终检查. */
function SecretaryNotes() {
  const lt = useLargeText()
  const { me, error: meError, reload } = useMe()
  const branchId = me ? me.member.branchId : null
  const current = Number(periodKeysOf(Date.now()).year)
  const [year, setYear] = useState(current)
  const { params } = useRouter()
  // The workbench's 笔记待审阅 row opens the 待审阅 view directly.
  const [view, setView] = useState<View_>(params.view === 'review' ? 'review' : 'progress')
  const [sort, setSort] = useState<SortKey>('pace')
  const [filter, setFilter] = useState<Filter>('all')
  const [round] = useRefreshRound()
  const prog = useRequest(branchId && view === 'progress' ? `p:${branchId}:${year}:${round}` : null, () =>
    branchProgress(branchId as string, year)
  )
  const ye = useRequest(branchId && view === 'yearEnd' ? `y:${branchId}:${year}:${round}` : null, () => yearEnd(branchId as string, year))

  const req = view === 'yearEnd' ? ye : prog
  const rows: NoteBranchRow[] = req.data?.rows ?? []
  const shown = sortRows(
    rows.filter((r) => matches(r, filter)),
    sort
  )
  const yeRows = view === 'yearEnd' ? (ye.data?.rows ?? []) : []
  const yeById = new Map(yeRows.map((r) => [r.memberId, r]))

  return (
    <View className={`page sec-notes-page ${lt.className}`}>
      {view === 'review' ? null : (
        <View className='sec-notes-year'>
          <Button className='sec-notes-year-btn sec-notes-year-prev' onClick={() => setYear((y) => y - 1)}>
            ‹ {year - 1}
          </Button>
          <Text className='sec-notes-year-label' data-year={year}>
            {year} 年
          </Text>
          {year < current ? (
            <Button className='sec-notes-year-btn sec-notes-year-next' onClick={() => setYear((y) => Math.min(current, y + 1))}>
              {year + 1} ›
            </Button>
          ) : (
            <View className='sec-notes-year-spacer' />
          )}
        </View>
      )}

      <View className='sec-notes-views'>
        <View className={`sec-notes-view${view === 'progress' ? ' sec-notes-view--on' : ''}`} onClick={() => {
            setView('progress')
            setFilter('all')
          }}>
          <Text>进度</Text>
        </View>
        <View className={`sec-notes-view sec-notes-view-yearend${view === 'yearEnd' ? ' sec-notes-view--on' : ''}`} onClick={() => {
            setView('yearEnd')
            setFilter('all')
          }}>
          <Text>年终检查</Text>
        </View>
        <View className={`sec-notes-view sec-notes-view-review${view === 'review' ? ' sec-notes-view--on' : ''}`} onClick={() => setView('review')}>
          <Text>待审阅</Text>
        </View>
      </View>

      {view === 'review' && branchId ? <ReviewQueue branchId={branchId} round={round} /> : null}
      {view === 'review' ? null : (
        <>

          <Text className='page-lead'>
            “每个工作人员全年笔记不少于1万字，副科级以上干部不少于1.5万字，同时撰写心得体会4篇以上，年终进行检查。”抄录、重复的内容不计入字数。
          </Text>

          {meError && !me ? <StatusBlock error={meError} onRetry={reload} /> : null}
          <StatusBlock loading={req.loading && !req.data} error={req.error} onRetry={req.retry} />

          {view === 'progress' && prog.data ? (
            <View className='sec-notes-totals' data-members={prog.data.totals.members}>
              <Text className='sec-notes-total'>共 {prog.data.totals.members} 人</Text>
              <Text className='sec-notes-total'>正常 {prog.data.totals.onPace}</Text>
              <Text className='sec-notes-total'>已完成 {prog.data.totals.done}</Text>
              <Text className='sec-notes-total sec-notes-total-warn'>偏慢 {prog.data.totals.behind}</Text>
              <Text className='sec-notes-total sec-notes-total-bad'>严重滞后 {prog.data.totals.farBehind}</Text>
              <Text className='sec-notes-total'>免于考核 {prog.data.totals.exempt}</Text>
              <Text className='sec-notes-total'>全支部计入 {prog.data.totals.creditedWords.toLocaleString()} 字</Text>
            </View>
          ) : null}

          {view === 'yearEnd' && ye.data ? (
            <View className='sec-notes-totals sec-yearend-totals' data-meets={ye.data.totals.meets} data-fails={ye.data.totals.fails}>
              <Text className='sec-notes-total'>参加考核 {ye.data.totals.assessed} 人</Text>
              <Text className='sec-notes-total sec-notes-total-good'>达到要求 {ye.data.totals.meets}</Text>
              <Text className='sec-notes-total sec-notes-total-bad'>未达到 {ye.data.totals.fails}</Text>
              <Text className='sec-notes-total'>字数达标 {ye.data.totals.meetsWords}</Text>
              <Text className='sec-notes-total'>心得达标 {ye.data.totals.meetsEssays}</Text>
              <Text className='sec-notes-total'>免于考核 {ye.data.totals.exempt}</Text>
              <Text className='sec-notes-total'>
                全支部 {ye.data.totals.creditedWords.toLocaleString()} 字、心得 {ye.data.totals.essays} 篇
              </Text>
            </View>
          ) : null}

          {req.data ? (
            <View className='sec-notes-controls'>
              <Text className='sec-notes-control-label'>排序</Text>
              <View className='form-chips'>
                {SORTS.map((s) => (
                  <View key={s.key} className={`sec-chip sec-sort-${s.key}${sort === s.key ? ' sec-chip--on' : ''}`} onClick={() => setSort(s.key)}>
                    <Text>{s.label}</Text>
                  </View>
                ))}
              </View>
              <Text className='sec-notes-control-label'>只看</Text>
              <View className='form-chips'>
                {(view === 'yearEnd' ? YEAR_END_FILTERS : FILTERS).map((f) => (
                  <View key={f.key} className={`sec-chip sec-filter-${f.key}${filter === f.key ? ' sec-chip--on' : ''}`} onClick={() => setFilter(f.key)}>
                    <Text>{f.label}</Text>
                  </View>
                ))}
              </View>
            </View>
          ) : null}

          {req.data && shown.length === 0 ? <Text className='sec-notes-empty'>{rows.length === 0 ? '这一年还没有数据。' : '没有符合条件的党员。'}</Text> : null}
          <View className='sec-notes-list'>
            {shown.map((r) => (
              <MemberRow key={r.memberId} r={r} year={year} yearEndRow={yeById.get(r.memberId)} />
            ))}
          </View>
        </>
      )}
    </View>
  )
}

export default withPageBoundary(SecretaryNotes)
