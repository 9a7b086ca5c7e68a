import { useState } from 'react'
import { Button, Text, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { reminderLog, sentReminders, type Reminder } from '../../api/remind'
import StatusBlock from '../../components/StatusBlock'
import { momentText } from '../../components/format'
import { REMINDER_AUDIENCE_LABELS, REMINDER_KIND_LABELS } from '../../core/vocab/reminder'
import { useMe } from '../../hooks/useMe'
import { useRequest } from '../../hooks/useRequest'
import { useRefreshRound } from '../../hooks/useShownAgain'
import BudgetTable from './BudgetTable'
import { IN_APP_LABELS, wechatText } from './labels'
import './index.scss'
import { useLargeText } from '../../hooks/useLargeText'
import { withPageBoundary } from '../../components/PageBoundary'

/** Per recipient: in the app (read or not) and on WeChat (sent, refused and why, no permission left). */
function ReminderDetail({ reminderId, round, onClose }: { reminderId: string; round: number; onClose: () => void }) {
  const req = useRequest(`remind-log:${reminderId}:${round}`, () => reminderLog(reminderId))
  const log = req.data
  const read = log ? log.rows.filter((r) => r.inApp === 'read').length : 0
  return (
    <View className='rlog-detail' data-reminder-id={reminderId}>
      <StatusBlock loading={req.loading && !log} error={req.error} onRetry={req.retry} />
      {log ? (
        <>
          <Text className='rlog-detail-title'>{log.reminder.title}</Text>
          <Text className='rlog-detail-meta'>
            {momentText(log.reminder.createdAt)} · 共 {log.rows.length} 人，已读 {read} 人
          </Text>
          <View className='rlog-table'>
            <View className='rlog-row rlog-row--head'>
              <Text className='rlog-cell rlog-name'>姓名</Text>
              <Text className='rlog-cell rlog-app'>应用内</Text>
              <Text className='rlog-cell rlog-wechat'>微信</Text>
            </View>
            {log.rows.map((r) => (
              <View key={r.memberId} className={`rlog-row rlog-in-${r.inApp} rlog-wx-${r.wechat}`} data-member-id={r.memberId}>
                <Text className='rlog-cell rlog-name'>{r.name}</Text>
                <Text className='rlog-cell rlog-app'>{IN_APP_LABELS[r.inApp] ?? '未读'}</Text>
                <View className='rlog-cell rlog-wechat'>
                  <Text className='rlog-wechat-status'>{wechatText(r)}</Text>
                  {/* The server explains the other statuses too (e.g. the local outbox): a smaller second line. */}
                  {r.detail && r.wechat !== 'failed' ? <Text className='rlog-wechat-note'>{r.detail}</Text> : null}
                </View>
              </View>
            ))}
          </View>
        </>
      ) : null}
      <Button className='rlog-close' onClick={onClose}>
        收起
      </Button>
    </View>
  )
}

function audienceText(r: Reminder): string {
  return REMINDER_AUDIENCE_LABELS[r.audience.kind] ?? ''
}

/** 提醒发送记录: what the branch sent, newest first; tap one for who read it. */
function RemindLogPage() {
  const lt = useLargeText()
  const { params } = useRouter()
  const { me, loading, error, reload } = useMe()
  const [round] = useRefreshRound()
  const [open, setOpen] = useState<string | null>(params.reminderId ? decodeURIComponent(params.reminderId) : null)
  const branchId = me ? me.member.branchId : null
  const list = useRequest(branchId ? `remind-sent:${branchId}:${round}` : null, () => sentReminders(branchId as string))

  return (
    <View className={`page rlog-page ${lt.className}`}>
      <Text className='page-title'>提醒发送记录</Text>
      <Text className='page-lead'>“应用内”看党员是否读过；“微信”看微信消息是否发出。微信提醒次数用完的同志，只在应用内收到。</Text>
      {!me ? <StatusBlock loading={loading} error={error} onRetry={reload} /> : null}
      {branchId ? <BudgetTable branchId={branchId} round={round} /> : null}
      <StatusBlock loading={list.loading && !list.data} error={list.error} onRetry={list.retry} />
      {list.data && list.data.length === 0 ? (
        <View className='rlog-empty'>
          <Text className='rlog-empty-text'>还没有发过提醒。</Text>
          <Button className='rlog-compose' onClick={() => Taro.navigateTo({ url: '/secretary/remind/index' })}>
            发提醒
          </Button>
        </View>
      ) : null}
      {/* Opened from a send result: the detail shows even before the list arrives. */}
      {open && !(list.data ?? []).some((r) => r._id === open) ? <ReminderDetail reminderId={open} round={round} onClose={() => setOpen(null)} /> : null}
      {(list.data ?? []).map((r) => (
        <View key={r._id} className={`rlog-item${open === r._id ? ' rlog-item--open' : ''}`} data-reminder-id={r._id}>
          <View className='rlog-item-head' hoverClass='rlog-item--pressed' onClick={() => setOpen(open === r._id ? null : r._id)}>
            <Text className='rlog-item-title'>{r.title}</Text>
            <Text className='rlog-item-meta'>
              {momentText(r.createdAt)} · {r.source === 'schedule' ? '定时提醒' : REMINDER_KIND_LABELS[r.kind] ?? '支部通知'} · {audienceText(r)} · {r.recipientCount} 人
            </Text>
          </View>
          {open === r._id ? <ReminderDetail reminderId={r._id} round={round} onClose={() => setOpen(null)} /> : null}
        </View>
      ))}
    </View>
  )
}

export default withPageBoundary(RemindLogPage)
