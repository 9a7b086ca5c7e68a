import { useState } from 'react'
import { Button, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { decideLeave, leaves as fetchLeaves, type LeaveRow, type LeaveStatus } from '../../api/checkin'
import StatusBlock from '../../components/StatusBlock'
import { momentText } from '../../components/format'
import { LEAVE_STATUS_LABELS } from '../../core/vocab/checkin'
import { useAction } from '../../hooks/useAction'
import { useMe } from '../../hooks/useMe'
import { useRequest } from '../../hooks/useRequest'
import { useRefreshRound } from '../../hooks/useShownAgain'
import ReasonPanel from '../components/ReasonPanel'
import './index.scss'
import { useLargeText } from '../../hooks/useLargeText'
import { withPageBoundary } from '../../components/PageBoundary'

function LeaveItem({ row, mine }: { row: LeaveRow; mine: boolean }) {
  const l = row.leave
  const [refusing, setRefusing] = useState(false)
  const [decided, setDecided] = useState<LeaveStatus | null>(null)
  const act = useAction()
  const status = decided ?? l.status

  const decide = async (approve: boolean, note?: string) => {
    const out = await decideLeave(l.sessionId, l.memberId, approve, note)
    setDecided(out?.status ?? (approve ? 'approved' : 'refused'))
    setRefusing(false)
    Taro.showToast({ title: approve ? '已准假' : '未批准', icon: 'none' }).catch(() => undefined)
  }

  return (
    <View className={`leave-row leave-row-${status}`} data-member-id={l.memberId} data-session-id={l.sessionId} data-status={status}>
      <View className='leave-row-head'>
        <Text className='leave-name'>{row.memberName}</Text>
        <Text className={`leave-status leave-status-${status}`}>{LEAVE_STATUS_LABELS[status]}</Text>
      </View>
      <Text className='leave-session'>
        {row.sessionTitle}（{momentText(row.sessionStartAt)}）
      </Text>
      <Text className='leave-reason-text'>原因：{l.reason}</Text>
      <Text className='leave-meta'>
        {l.recordedBy ? `书记补录于 ${momentText(l.createdAt)}` : `提交于 ${momentText(l.createdAt)}`}
        {!l.recordedBy && row.sessionEndAt !== undefined && l.createdAt >= row.sessionEndAt ? '（活动结束后补请假）' : ''}
      </Text>
      {l.decisionNote && status !== 'pending' ? <Text className='leave-meta'>审批意见：{l.decisionNote}</Text> : null}
      {/* Nobody decides their own leave (the server refuses it too). */}
      {status === 'pending' && mine ? <Text className='leave-meta leave-own'>这是您本人的请假，需由支部其他委员审批。</Text> : null}
      {status === 'pending' && !refusing && !mine ? (
        <View className='leave-actions'>
          <Button
            className='leave-refuse'
            disabled={act.busy || undefined}
            onClick={() => {
              act.setMessage('')
              setRefusing(true)
            }}
          >
            不批准
          </Button>
          <Button
            className='leave-approve'
            loading={act.busy || undefined}
            disabled={act.busy || undefined}
            onClick={() => act.run(() => decide(true), '没有保存成功，请稍后再试')}
          >
            准假
          </Button>
        </View>
      ) : null}
      {status === 'pending' && refusing ? (
        <ReasonPanel
          prefix='leave-refuse'
          classes={{ input: 'leave-refuse-note', actions: 'leave-actions', error: 'leave-error' }}
          placeholder='说明一下原因（可不填），党员会看到'
          backText='返回'
          confirmText='确认不批准'
          failText='没有保存成功，请稍后再试'
          onClose={() => setRefusing(false)}
          onConfirm={(note) => decide(false, note)}
        />
      ) : null}
      {act.message ? <Text className='leave-error'>{act.message}</Text> : null}
    </View>
  )
}

/** 请假审批: pending requests first; every decision is kept with who and when. */
function Leaves() {
  const lt = useLargeText()
  const { me } = useMe()
  const branchId = me ? me.member.branchId : null
  const [tab, setTab] = useState<'pending' | 'all'>('pending')
  const [round] = useRefreshRound()
  const req = useRequest(branchId ? `${branchId}:${tab}:${round}` : null, () =>
    fetchLeaves(branchId as string, tab === 'pending' ? 'pending' : undefined)
  )
  const rows = req.data ?? []

  return (
    <View className={`page leaves-page ${lt.className}`}>
      <View className='leaves-tabs'>
        <Text className={`leaves-tab leaves-tab-pending${tab === 'pending' ? ' leaves-tab--on' : ''}`} onClick={() => setTab('pending')}>
          待审批
        </Text>
        <Text className={`leaves-tab leaves-tab-all${tab === 'all' ? ' leaves-tab--on' : ''}`} onClick={() => setTab('all')}>
          全部
        </Text>
      </View>
      <StatusBlock loading={req.loading && !req.data} error={req.error} onRetry={req.retry} />
      {req.data && rows.length === 0 ? (
        <Text className='leaves-empty'>{tab === 'pending' ? '没有待审批的请假。' : '还没有请假记录。'}</Text>
      ) : null}
      {rows.map((row) => (
        <LeaveItem key={row.leave._id} row={row} mine={row.leave.memberId === me?.member._id} />
      ))}
    </View>
  )
}

export default withPageBoundary(Leaves)
