import { Text, View } from '@tarojs/components'

/** Waiting for confirmation, or a failed refresh: said the same way on both homes. */
export default function HomeNotices({ pending, error }: { pending: boolean; error: { message: string } | null }) {
  return (
    <>
      {pending ? (
        <View className='home-notice home-pending'>
          <Text>您的入支部申请已提交，正在等待支部书记确认。</Text>
        </View>
      ) : null}
      {error ? (
        <View className='home-notice'>
          <Text>{error.message}</Text>
        </View>
      ) : null}
    </>
  )
}

export function greeting(now = new Date()): string {
  const h = now.getHours()
  if (h < 11) return '上午好'
  if (h < 13) return '中午好'
  if (h < 18) return '下午好'
  return '晚上好'
}
