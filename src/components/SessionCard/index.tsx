import type { ReactNode } from 'react'
import { Text, View } from '@tarojs/components'
import type { Session } from '../../api/sessions'
import { typeLabel, whenText } from '../format'
import './index.scss'

export type SessionCardSession = Pick<Session, '_id' | 'type' | 'title' | 'startAt' | 'endAt' | 'venue' | 'status'>

interface Props {
  session: SessionCardSession
  /** A plain label of where the member stands (出席, 请假 … from core/checkin/words.ts) and its key for styling. */
  stateLabel?: string
  stateKey?: string
  /** A quieter line under the venue (e.g. 签到时间 13:30 起). */
  hint?: string
  onClick?: () => void
  /** Buttons shown at the bottom of the card. */
  children?: ReactNode
}

/** One session at a glance: what, when (Shanghai time), where, and my state. */
export default function SessionCard({ session, stateLabel, stateKey, hint, onClick, children }: Props) {
  const cancelled = session.status === 'cancelled'
  const key = cancelled ? 'cancelled' : stateKey
  return (
    <View
      className={`session-card${cancelled ? ' session-card--cancelled' : ''}${key ? ' session-state-' + key : ''}`}
      data-session-id={session._id}
      hoverClass={onClick ? 'session-card--pressed' : 'none'}
      onClick={onClick}
    >
      <View className='session-card-top'>
        <Text className='session-type'>{typeLabel(session.type)}</Text>
        {cancelled ? (
          <Text className='session-state session-state-label--cancelled'>已取消</Text>
        ) : stateLabel ? (
          <Text className={`session-state session-state-label--${stateKey ?? 'none'}`}>{stateLabel}</Text>
        ) : null}
      </View>
      <Text className='session-title'>{session.title}</Text>
      <Text className='session-when'>{whenText(session.startAt, session.endAt)}</Text>
      <Text className='session-venue'>地点：{session.venue.name}</Text>
      {hint ? <Text className='session-hint'>{hint}</Text> : null}
      {children ? (
        <View className='session-card-actions' onClick={(e) => e.stopPropagation()}>
          {children}
        </View>
      ) : null}
    </View>
  )
}
