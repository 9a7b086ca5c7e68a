import { Text, View } from '@tarojs/components'
import './index.scss'

export default function Notes() {
  return (
    <View className='page placeholder notes-page'>
      <Text className='page-title'>笔记</Text>
      <Text className='page-lead'>笔记功能即将上线：在这里写读书笔记和心得体会，写到一半也不会丢。</Text>
    </View>
  )
}
