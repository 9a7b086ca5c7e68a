import { Button, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { whenText } from '../../components/format'
import type { Saved } from './useScheduleForm'

/** Shown at most: a year of weekly sessions would push the buttons far down. */
const LINES_SHOWN = 12

/** After saving: what was scheduled, the server's notes on the series, and where to go next. */
export default function ScheduleDone({ done, onAgain }: { done: Saved; onAgain: () => void }) {
  const first = done.sessions[0]
  return (
    <View className='page schedule-page'>
      <View className='schedule-done' data-count={done.sessions.length} data-session-id={first._id}>
        <Text className='schedule-done-title'>
          {done.edited ? '已保存修改' : done.sessions.length > 1 ? `已安排 ${done.sessions.length} 场活动` : '已安排好了'}
        </Text>
        {done.sessions.slice(0, LINES_SHOWN).map((s) => (
          <Text key={s._id} className='schedule-done-line' data-session-id={s._id}>
            {whenText(s.startAt, s.endAt)} {s.title}
          </Text>
        ))}
        {done.sessions.length > LINES_SHOWN ? <Text className='schedule-done-line'>……共 {done.sessions.length} 场</Text> : null}
        {done.notices.map((n) => (
          <Text key={n} className='schedule-done-notice'>
            {n}
          </Text>
        ))}
        <Text className='schedule-done-line'>党员在“签到”页就能看到。活动当天请在活动列表里打开“签到大屏”。</Text>
      </View>
      <Button className='schedule-go-list' onClick={() => Taro.redirectTo({ url: '/secretary/sessions/index' })}>
        查看活动列表
      </Button>
      <Button
        className='schedule-go-qr'
        onClick={() => Taro.navigateTo({ url: `/secretary/qr/index?id=${encodeURIComponent(first._id)}` })}
      >
        打开签到大屏
      </Button>
      {!done.edited ? (
        <Button className='schedule-again' onClick={onAgain}>
          再安排一场
        </Button>
      ) : null}
    </View>
  )
}
