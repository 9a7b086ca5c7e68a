import { Text, View } from '@tarojs/components'
import './index.scss'

export default function Checkin() {
  return (
    <View className='page placeholder checkin-page'>
      <Text className='page-title'>签到</Text>
      <Text className='page-lead'>签到功能即将上线：到了活动现场，扫一扫书记出示的二维码就能签到。</Text>
    </View>
  )
}
