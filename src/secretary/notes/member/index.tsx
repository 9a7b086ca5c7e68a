import { useEffect } from 'react'
import { Text, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { ApiError } from '../../../api'
import { listAllNotes, progress } from '../../../api/notes'
import StatusBlock from '../../../components/StatusBlock'
import { paceLabel, paceTone } from '../../../components/notePace'
import { formatShanghai, periodKeysOf } from '../../../core/period'
import { NOTE_KIND_LABELS, REVIEW_STATUS_LABELS } from '../../../core/vocab/note'
import { useRequest } from '../../../hooks/useRequest'
import { useRefreshRound } from '../../../hooks/useShownAgain'
import './index.scss'
import { useLargeText } from '../../../hooks/useLargeText'
import { withPageBoundary } from '../../../components/PageBoundary'
import Badge from '../../../components/Badge'

function param(v: string | undefined): string {
  if (!v) return ''
  try {
    return decodeURIComponent(v)
  } catch {
    return v
  }
}

/** One member's notes for a year (no bodies here); tap one to read and review it. */
function MemberNotes() {
  const lt = useLargeText()
  const { params } = useRouter()
  const memberId = param(params.memberId)
  const name = param(params.name)
  const year = Number(params.year) || Number(periodKeysOf(Date.now()).year)
  const [round] = useRefreshRound()
  const key = memberId ? `${memberId}:${year}:${round}` : null
  const list = useRequest(key, () => listAllNotes({ memberId, year }))
  const prog = useRequest(key, () => progress(year, memberId))

  useEffect(() => {
    if (name) Taro.setNavigationBarTitle({ title: `${name}的笔记` }).catch(() => undefined)
  }, [name])

  if (!memberId) {
    return (
      <View className={`page sec-member-notes ${lt.className}`}>
        <StatusBlock error={new ApiError('NOT_FOUND', '没有找到这位党员')} />
      </View>
    )
  }
  const p = prog.data
  return (
    <View className={`page sec-member-notes ${lt.className}`} data-member-id={memberId}>
      <Text className='page-title'>
        {name || '党员'} · {year} 年
      </Text>
      {p ? (
        <View className='sec-member-progress' data-credited={p.creditedWords} data-quota={p.wordQuota} data-status={p.paceStatus}>
          <Text className='sec-member-line'>
            计入字数 {p.creditedWords.toLocaleString()}
            {p.exempt ? '（免于考核）' : ` / ${p.wordQuota.toLocaleString()}`}，心得 {p.essays}
            {p.exempt ? '' : ` / ${p.essayQuota}`} 篇
          </Text>
          <Badge tone={paceTone(p.paceStatus)} className={`sec-member-pace sec-member-pace-${p.paceStatus}`}>
            {paceLabel(p.paceStatus)}
          </Badge>
          {p.paceSentence ? <Text className='sec-member-line'>{p.paceSentence}</Text> : null}
        </View>
      ) : null}
      <StatusBlock loading={list.loading && !list.data} error={list.error} onRetry={list.retry} />
      {list.data && list.data.notes.length === 0 ? <Text className='sec-member-empty'>这一年还没有笔记。</Text> : null}
      {list.data?.notes.map((n) => {
        const rs = n.review?.status ?? 'pending'
        return (
          <View
            key={n._id}
            className={`sec-member-note note-row`}
            data-note-id={n._id}
            data-status={rs}
            hoverClass='sec-member-note--pressed'
            onClick={() => Taro.navigateTo({ url: `/secretary/notes/read/index?id=${encodeURIComponent(n._id)}` })}
          >
            <View className='sec-member-note-head'>
              <Text className='sec-member-note-kind'>{NOTE_KIND_LABELS[n.kind] ?? '笔记'}</Text>
              <Text className={`sec-member-note-status sec-review-${rs}`}>{REVIEW_STATUS_LABELS[rs] ?? ''}</Text>
            </View>
            <Text className='sec-member-note-title'>{n.title}</Text>
            <Text className='sec-member-line'>
              {formatShanghai(n.updatedAt, 'M月D日')} · {n.words} 字
              {n.creditedWords < n.words ? `（计入 ${n.creditedWords} 字）` : ''}
              {n.matchCount > 0 ? ` · ${n.matchCount} 处重复` : ''}
            </Text>
          </View>
        )
      })}
    </View>
  )
}

export default withPageBoundary(MemberNotes)
