import { Text } from '@tarojs/components'
import type { ReactNode } from 'react'
import './index.scss'

export type BadgeTone = 'primary' | 'good' | 'warn' | 'quiet'

/**
 * A short word on a soft ground (a pace, 达到要求, 免于考核): one look for every
 * badge, its tone named rather than coloured by each page. The page's own
 * class stays on it for layout and for tests.
 */
export default function Badge({ tone = 'primary', className, children }: { tone?: BadgeTone; className?: string; children: ReactNode }) {
  return <Text className={`badge badge--${tone}${className ? ` ${className}` : ''}`}>{children}</Text>
}
