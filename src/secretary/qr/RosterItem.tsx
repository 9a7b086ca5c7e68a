import { useState } from 'react'
import { Button, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { proxyCheckIn } from '../../api/checkin'
import type { RosterRow } from '../../api/sessions'
import { timeText } from '../../components/format'
import { CHECKIN_METHOD_LABELS } from '../../core/vocab/checkin'
import ReasonPanel from '../components/ReasonPanel'
import RoleLine from '../components/RoleLine'

export const STATE_LABELS: Record<RosterRow['state'], string> = {
  attended: '已到',
  late: '迟到',
  leave_pending: '请假待批',
  leave_approved: '请假',
  absent: '未到'
}

/** Why a secretary taps in for someone; the usual ones are a tap away. */
const PROXY_REASONS = ['年事已高，行动不便', '没有智能手机', '手机故障或没电']

interface Props {
  row: RosterRow
  sessionId: string
  /** Absent or on leave, in a session not cancelled: the secretary may check them in (audited). */
  canProxy: boolean
  onProxied: () => void
}

/** One member on the venue list: state and time, and 代签 for someone who cannot tap themselves. */
export default function RosterItem({ row, sessionId, canProxy, onProxied }: Props) {
  const [open, setOpen] = useState(false)

  const detail =
    row.at !== undefined
      ? `${timeText(row.at)}${row.method && row.method !== 'qr' ? ' · ' + CHECKIN_METHOD_LABELS[row.method] : ''}`
      : ''

  return (
    <View className={`roster-row roster-state-${row.state}`} data-member-id={row.member._id} data-state={row.state}>
      <View className='roster-row-main'>
        <View className='roster-row-who'>
          <Text className='roster-name'>{row.member.name}</Text>
          <RoleLine member={row.member} />
        </View>
        <View className='roster-row-right'>
          <Text className='roster-state'>{STATE_LABELS[row.state]}</Text>
          {detail ? <Text className='roster-at'>{detail}</Text> : null}
        </View>
        {canProxy && !open ? (
          <Button className='roster-proxy' onClick={() => setOpen(true)}>
            代签
          </Button>
        ) : null}
      </View>
      {open ? (
        <ReasonPanel
          prefix='proxy'
          classes={{ back: 'proxy-cancel' }}
          title={`为 ${row.member.name} 代签，原因：`}
          presets={PROXY_REASONS}
          placeholder='或者写下其他原因'
          required='请写明代签的原因，会记入台账。'
          backText='取消'
          confirmText='确认代签'
          failText='代签没有成功，请稍后再试'
          onClose={() => setOpen(false)}
          onConfirm={async (reason) => {
            await proxyCheckIn(sessionId, row.member._id, reason)
            setOpen(false)
            Taro.showToast({ title: '已代签', icon: 'success' }).catch(() => undefined)
            onProxied()
          }}
        />
      ) : null}
    </View>
  )
}
