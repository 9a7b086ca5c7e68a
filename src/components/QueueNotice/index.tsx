import { useState } from 'react'
import { Button, Text, View } from '@tarojs/components'
import { flushQueue, type FlushReport, type QueuedCheckin } from '../../api/offline-queue'
import { errorText } from '../errorText'
import { momentText, pendingScanText } from '../format'
import './index.scss'

interface Props {
  pending: QueuedCheckin[]
  report: FlushReport | null
  titleOf?: (sessionId: string) => string | undefined
}

/** Scans waiting on the phone, and what the server said about the ones sent later. */
export default function QueueNotice({ pending, report, titleOf }: Props) {
  const [busy, setBusy] = useState(false)
  const retry = async () => {
    if (busy) return
    setBusy(true)
    try {
      await flushQueue()
    } catch {
      // The list below stays as it is; the member can try again.
    } finally {
      setBusy(false)
    }
  }
  const name = (id: string) => titleOf?.(id) ?? '活动签到'
  return (
    <View className='queue-notice-wrap'>
      {pending.length > 0 ? (
        <View className='queue-notice checkin-queue' data-count={pending.length}>
          <Text className='queue-notice-title'>还有 {pending.length} 条签到保存在手机上，等网络好了会自动提交</Text>
          {pending.map((p) => (
            <Text key={p.sessionId + p.clientAt} className='queue-notice-line'>
              {name(p.sessionId)}（扫码时间 {momentText(p.clientAt)}）
            </Text>
          ))}
          <Button className='queue-notice-retry checkin-queue-retry' loading={busy || undefined} disabled={busy || undefined} onClick={retry}>
            现在提交
          </Button>
        </View>
      ) : null}
      {report && report.answered.length > 0 ? (
        <View className='queue-notice checkin-queue-report'>
          <Text className='queue-notice-title'>之前保存在手机上的签到已经提交：</Text>
          {report.answered.map((a) => (
            <Text
              key={a.item.sessionId + a.item.clientAt}
              className={`queue-notice-line ${!a.ok ? 'queue-line-error' : a.result.checkin ? 'queue-line-ok' : 'queue-line-pending'}`}
              data-session-id={a.item.sessionId}
            >
              {name(a.item.sessionId)}：
              {!a.ok
                ? `没有成功，${errorText(a.error)}`
                : !a.result.checkin
                  ? pendingScanText(a.result.pending?.at ?? a.item.clientAt)
                  : a.result.checkin.status === 'late'
                    ? '签到成功（记为迟到）'
                    : '签到成功'}
            </Text>
          ))}
        </View>
      ) : null}
    </View>
  )
}
