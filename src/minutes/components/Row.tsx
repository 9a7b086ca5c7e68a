import { Text, View } from '@tarojs/components'

/** One line of the printed record: its label in the margin, its content beside it. */
export default function Row({ label, children, name }: { label: string; children: React.ReactNode; name: string }) {
  return (
    <View className={`mr-row mr-${name}`}>
      <Text className='mr-label'>{label}</Text>
      <View className='mr-value'>{children}</View>
    </View>
  )
}
