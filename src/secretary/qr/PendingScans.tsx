import { useState } from 'react'
import { Button, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { ApiError } from '../../api'
import { confirmCheckins, type PendingScan } from '../../api/checkin'
import { errorText } from '../../components/errorText'
import { momentText } from '../../components/format'

interface Props {
  sessionId: string
  rows: PendingScan[]
  /** Ask for the roster and this list again (after a confirmation). */
  onChanged: () => void
}

/**
 * 待确认: scans that reached the server after the code had rotated, dated by
 * the phone. They could be a weak signal at the venue or a photo of the
 * screen sent to someone at home; the secretary, who saw the room, decides.
 * Not counted in 实到 until confirmed.
 */
export default function PendingScans({ sessionId, rows, onChanged }: Props) {
  const [busy, setBusy] = useState(false)
  const [note, setNote] = useState('')
  if (rows.length === 0) return null
  const others = rows.filter((r) => !r.self)

  const decide = async (accept: boolean, memberIds?: string[]) => {
    if (busy) return
    setBusy(true)
    setNote('')
    try {
      const out = await confirmCheckins(sessionId, accept, memberIds)
      const left = (out.rows ?? []).filter((r) => r.outcome === 'refused' || r.outcome === 'self')
      setNote(left.map((r) => `${rows.find((x) => x.memberId === r.memberId)?.name ?? ''}：${r.message ?? ''}`).join('\n'))
      Taro.showToast({ title: accept ? `已确认 ${out.confirmed} 人` : '已不予确认', icon: 'success' }).catch(() => undefined)
      onChanged()
    } catch (err) {
      setNote(errorText(err instanceof ApiError ? err : new ApiError('INTERNAL')))
    } finally {
      setBusy(false)
    }
  }

  return (
    <View className='pending-scans' data-count={rows.length}>
      <Text className='pending-scans-title'>待确认 {rows.length} 人</Text>
      <Text className='pending-scans-explain'>
        这些扫码是事后补传的（手机当时没有网络），系统无法判断是在会场扫的还是转发的照片。请您核对：确实到场的，点“全部确认”后计入实到。
      </Text>
      {rows.map((r) => (
        <View key={r.memberId} className='pending-scan' data-member-id={r.memberId}>
          <View className='pending-scan-who'>
            <Text className='pending-scan-name'>{r.name}</Text>
            <Text className='pending-scan-at'>
              扫码 {momentText(r.at)}
              {r.distanceM !== undefined ? ` · 距会场 ${r.distanceM} 米` : ''}
              {r.self ? ' · 本人的扫码，需由其他委员确认' : ''}
            </Text>
          </View>
          {!r.self ? (
            <Button className='pending-scan-decline' disabled={busy || undefined} onClick={() => decide(false, [r.memberId])}>
              不予确认
            </Button>
          ) : null}
        </View>
      ))}
      {others.length > 0 ? (
        <Button className='pending-scans-confirm' loading={busy || undefined} disabled={busy || undefined} onClick={() => decide(true)}>
          全部确认（{others.length} 人）
        </Button>
      ) : null}
      {note ? <Text className='pending-scans-note'>{note}</Text> : null}
    </View>
  )
}
