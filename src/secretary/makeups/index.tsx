import { useState } from 'react'
import { Text, View } from '@tarojs/components'
import { branchMakeUps, type BranchMakeUpRow, type Makeup, type MakeupStatus } from '../../api/checkin'
import StatusBlock from '../../components/StatusBlock'
import { useMe } from '../../hooks/useMe'
import { useRequest } from '../../hooks/useRequest'
import { useSessionParam } from '../../hooks/useSessionParam'
import { useRefreshRound } from '../../hooks/useShownAgain'
import Group from '../components/Group'
import MakeUpItem from './MakeUpItem'
import './index.scss'
import { useLargeText } from '../../hooks/useLargeText'
import { withPageBoundary } from '../../components/PageBoundary'

/** The secretary's work first: what waits for review, then what waits for the member, then what is done. */
const GROUPS: { status: MakeupStatus; title: string }[] = [
  { status: 'submitted', title: '待审阅' },
  { status: 'returned', title: '已退回，等待重新提交' },
  { status: 'assigned', title: '还没交' },
  { status: 'accepted', title: '已合格' }
]

interface Reviewed {
  makeup: Makeup
  comment: string
}

/** A row as it stands after a review made on this screen, before the list is read again. */
function withReview(row: BranchMakeUpRow, r: Reviewed | undefined): BranchMakeUpRow {
  if (!r) return row
  const review = { status: r.makeup.status === 'accepted' ? ('passed' as const) : ('returned' as const), ...(r.comment ? { comment: r.comment } : {}) }
  return { ...row, makeup: r.makeup, ...(row.note ? { note: { ...row.note, review } } : {}) }
}

/** 补学审阅: the branch's make-ups by state; open one to read the note and mark it 合格 or 退回. */
function MakeUps() {
  const lt = useLargeText()
  const paramSession = useSessionParam()
  const [onlySession, setOnlySession] = useState(paramSession)
  const { me, error: meError, reload } = useMe()
  const branchId = me ? me.member.branchId : null
  const [round, refresh] = useRefreshRound()
  const [reviewed, setReviewed] = useState<Record<string, Reviewed>>({})
  const req = useRequest(branchId ? `${branchId}:${onlySession}:${round}` : null, () =>
    branchMakeUps(branchId as string, undefined, onlySession || undefined)
  )
  const rows = (req.data ?? []).map((r) => withReview(r, reviewed[r.makeup._id]))

  return (
    <View className={`page makeups-page ${lt.className}`}>
      <Text className='page-title'>补学审阅</Text>
      <Text className='page-lead'>
        缺席或请假的同志交来的补学心得在这里。读一读，写得认真就点“合格”；需要修改就“退回”，并写一句意见。
      </Text>
      {onlySession ? (
        <View className='makeups-filter'>
          <Text className='makeups-filter-text'>只看：{rows[0]?.sessionTitle ?? '这一场活动'}</Text>
          <Text className='makeups-filter-clear' onClick={() => setOnlySession('')}>
            看全部
          </Text>
        </View>
      ) : null}
      {meError && !me ? <StatusBlock error={meError} onRetry={reload} /> : null}
      <StatusBlock loading={req.loading && !req.data} error={req.error} onRetry={req.retry} />
      {req.data && rows.length === 0 ? (
        <Text className='makeups-empty'>
          {onlySession ? '这场活动还没有安排补学。' : '还没有安排过补学。活动结束后，可以在活动列表里为缺席、请假的同志安排。'}
        </Text>
      ) : null}
      {GROUPS.map((g) => (
        <Group key={g.status} prefix='makeup' title={g.title} rows={rows.filter((r) => r.makeup.status === g.status)}>
          {(r) => (
            <MakeUpItem
              key={r.makeup._id}
              row={r}
              onReviewed={(makeup, comment) => {
                setReviewed((prev) => ({ ...prev, [makeup._id]: { makeup, comment } }))
                refresh()
              }}
            />
          )}
        </Group>
      ))}
    </View>
  )
}

export default withPageBoundary(MakeUps)
