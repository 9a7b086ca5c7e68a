import type { ReactNode } from 'react'
import { View } from '@tarojs/components'
import './index.scss'

interface Props {
  /** 0..1 (clamped); values past 1 draw a full ring. */
  value: number
  /** 0..1: where the even pace says one should be by now; drawn as a tick. */
  pace?: number
  className?: string
  children?: ReactNode
}

function clamp(v: number): number {
  return Number.isFinite(v) ? Math.max(0, Math.min(1, v)) : 0
}

/**
 * A progress ring in plain CSS (conic-gradient; no canvas), with whatever
 * the caller puts in its middle. Older engines without conic-gradient show a
 * plain grey ring and the numbers inside still say everything.
 */
export default function ProgressRing({ value, pace, className, children }: Props) {
  const deg = Math.round(clamp(value) * 360)
  const done = clamp(value) >= 1
  const style = {
    background: `conic-gradient(${done ? '#1a7f37' : '#c8102e'} ${deg}deg, #eeeeee ${deg}deg)`
  }
  return (
    <View className={`progress-ring${className ? ' ' + className : ''}`} style={style} data-value={clamp(value).toFixed(3)}>
      {pace !== undefined && pace > 0 && pace < 1 ? (
        <View className='progress-ring-pace' style={{ transform: `rotate(${Math.round(clamp(pace) * 360)}deg)` }}>
          <View className='progress-ring-pace-tick' />
        </View>
      ) : null}
      <View className='progress-ring-inner'>{children}</View>
    </View>
  )
}
