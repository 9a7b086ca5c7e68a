import type { ReactNode } from 'react'
import { Text, View } from '@tarojs/components'

interface Props<T> {
  /** Class prefix: `${prefix}-group`, `${prefix}-group-title`, `${prefix}-list` (styled by the page). */
  prefix: string
  title: string
  rows: T[]
  children: (row: T) => ReactNode
}

/** A titled group of rows with its count, e.g. 未到（3）; an empty group is not shown at all. */
export default function Group<T>({ prefix, title, rows, children }: Props<T>) {
  if (rows.length === 0) return null
  return (
    <View className={`${prefix}-group`}>
      <Text className={`${prefix}-group-title`}>
        {title}（{rows.length}）
      </Text>
      <View className={`${prefix}-list`}>{rows.map(children)}</View>
    </View>
  )
}
