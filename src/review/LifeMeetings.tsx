import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import Figures from '../components/Figures'
import { fullDayText } from '../components/format'
import type { ReviewView } from '../api/review'

/**
 * The year's 组织生活会, where the review is talked through: its 会议记录 is
 * one tap away. Officers are told how to add one when none is scheduled;
 * members are not asked to do anything.
 */
export default function LifeMeetings({ r }: { r: ReviewView }) {
  if (r.meetings.length === 0) {
    return r.officer ? (
      <View className='rv-card rv-meetings'>
        <Text className='rv-card-title'>组织生活会</Text>
        <Text className='form-hint rv-meetings-none'>还没有安排本年度的组织生活会。在“排期”里新建活动，类型选“组织生活会”，会议记录就和这次评议放在一起。</Text>
      </View>
    ) : null
  }
  return (
    <View className='rv-card rv-meetings'>
      <Text className='rv-card-title'>组织生活会</Text>
      {r.meetings.map((m) => (
        <View
          key={m.sessionId}
          className='rv-meeting'
          data-session-id={m.sessionId}
          hoverClass='rv-meeting--pressed'
          onClick={() => Taro.navigateTo({ url: `/minutes/view/index?id=${encodeURIComponent(m.sessionId)}` })}
        >
          <Text className='rv-meeting-title'>{m.title}</Text>
          <Figures className='rv-meeting-when' text={`${fullDayText(m.startAt)} · 查看会议记录`} />
        </View>
      ))}
    </View>
  )
}
