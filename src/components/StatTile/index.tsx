import { Text, View } from '@tarojs/components'
import type { ReactNode } from 'react'
import './index.scss'

/**
 * A figure with its unit over what it counts ("12 人" / 参加考核党员). The
 * figure and unit are one unbroken line, in 长辈模式 too; the label may wrap.
 */
export default function StatTile({ value, unit, label, className }: { value: ReactNode; unit?: string; label: ReactNode; className?: string }) {
  return (
    <View className={`stat-tile${className ? ` ${className}` : ''}`}>
      <Text className='stat-tile-value'>
        {value}
        {unit ? <Text className='stat-tile-unit'>{unit}</Text> : null}
      </Text>
      <Text className='stat-tile-label'>{label}</Text>
    </View>
  )
}
