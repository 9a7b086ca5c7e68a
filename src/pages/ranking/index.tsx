import { Text, View } from '@tarojs/components'
import './index.scss'

export default function Ranking() {
  return (
    <View className='page placeholder ranking-page'>
      <Text className='page-title'>排行</Text>
      <Text className='page-lead'>排行功能即将上线：按支部比一比学习进度，只看比例和人均，不比谁在手机上花的时间多。</Text>
    </View>
  )
}
