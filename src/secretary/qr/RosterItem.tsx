import { useState } from 'react'
import { Button, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { proxyCheckIn, recordLeave } from '../../api/checkin'
import type { RosterRow } from '../../api/sessions'
import { timeText } from '../../components/format'
import { FINAL_WORDS, LEAVE_PENDING_WORD } from '../../core/checkin/words'
import { CHECKIN_METHOD_LABELS } from '../../core/vocab/checkin'
import ReasonPanel from '../components/ReasonPanel'
import RoleLine from '../components/RoleLine'

/** The app's one word per state (core/checkin/words.ts); `absent` is refined by the list (未开始 / 未签到 / 缺席). */
export const STATE_LABELS: Record<RosterRow['state'], string> = {
  attended: FINAL_WORDS.attended,
  late: FINAL_WORDS.late,
  leave_pending: LEAVE_PENDING_WORD,
  leave_approved: FINAL_WORDS.leave,
  absent: FINAL_WORDS.absent
}

/** Why a secretary taps in for someone; the usual ones are a tap away. */
const PROXY_REASONS = ['年事已高，行动不便', '没有智能手机', '手机故障或没电']
/** Why someone missed it, as members tell the secretary in person or by phone. */
const LEAVE_REASONS = ['生病住院', '因公出差', '家中有事', '没有智能手机，电话请假']

interface Props {
  row: RosterRow
  sessionId: string
  /** Absent or on leave, in a session not cancelled: the secretary may check them in (audited). */
  canProxy: boolean
  /**
   * Absent, in a session not cancelled, and not the secretary's own row: they
   * may enter leave the member told them of (audited, approved at once).
   */
  canRecordLeave: boolean
  /** After the session the entry is 补录请假; before it, 代请假 for someone without the app. */
  ended: boolean
  /** Why one's own row has no buttons. */
  note?: string
  /** In place of the state's word for the not-yet-arrived (未开始 / 未签到 before the session is over). */
  stateLabel?: string
  onProxied: () => void
}

/** One member on the venue list: state and time, 代签 for someone who cannot tap themselves, and leave they told the secretary of. */
export default function RosterItem({ row, sessionId, canProxy, canRecordLeave, ended, note, stateLabel, onProxied }: Props) {
  const [open, setOpen] = useState<'proxy' | 'leave' | null>(null)
  const leaveText = ended ? '补录请假' : '代请假'

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
          <Text className='roster-state'>{stateLabel ?? STATE_LABELS[row.state]}</Text>
          {detail ? <Text className='roster-at'>{detail}</Text> : null}
        </View>
        {canProxy && !open ? (
          <Button className='roster-proxy' onClick={() => setOpen('proxy')}>
            代签
          </Button>
        ) : null}
      </View>
      {note ? <Text className='roster-at roster-self-note'>{note}</Text> : null}
      {canRecordLeave && !open ? (
        <View className='roster-row-actions'>
          <Button className='roster-leave' onClick={() => setOpen('leave')}>
            {leaveText}
          </Button>
        </View>
      ) : null}
      {open === 'leave' ? (
        <ReasonPanel
          prefix='leave-record'
          title={`为 ${row.member.name} ${leaveText}，请假原因：`}
          presets={LEAVE_REASONS}
          placeholder='或者写下其他原因'
          required='请写明请假的原因，会记入台账。'
          backText='取消'
          confirmText={`确认${leaveText}`}
          failText='请假没有登记成功，请稍后再试'
          onClose={() => setOpen(null)}
          onConfirm={async (reason) => {
            await recordLeave(sessionId, row.member._id, reason)
            setOpen(null)
            Taro.showToast({ title: '已登记请假', icon: 'success' }).catch(() => undefined)
            onProxied()
          }}
        />
      ) : null}
      {open === 'proxy' ? (
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
          onClose={() => setOpen(null)}
          onConfirm={async (reason) => {
            await proxyCheckIn(sessionId, row.member._id, reason)
            setOpen(null)
            Taro.showToast({ title: '已代签', icon: 'success' }).catch(() => undefined)
            onProxied()
          }}
        />
      ) : null}
    </View>
  )
}
