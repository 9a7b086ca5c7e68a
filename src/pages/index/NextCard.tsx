import { Button, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import type { MineRow } from '../../api/checkin'
import type { Session } from '../../api/sessions'
import SessionCard from '../../components/SessionCard'
import { timeText } from '../../components/format'
import { isCheckinOpen, myState, windowText } from '../../components/sessionState'

interface Props {
  session: Session | null
  row: MineRow | undefined
}

function goDetail(sessionId: string) {
  Taro.navigateTo({ url: `/pages/session/index?id=${encodeURIComponent(sessionId)}` })
}

/**
 * 下次活动: what a member opens the app for. The state word is the one the
 * 签到 tab shows (sessionState.myState), so the two never disagree; while the
 * window is open and I have not checked in, the way to check in is one tap.
 */
export default function NextCard({ session, row }: Props) {
  if (!session) {
    return (
      <View className='home-section home-next-none'>
        <Text className='home-section-title'>下次活动</Text>
        <Text className='home-section-text'>未来 30 天还没有安排需要您参加的活动。书记排好后，会在这里告诉您时间和地点。</Text>
      </View>
    )
  }
  const now = Date.now()
  const state = myState(session, row, now)
  const done = row ? row.state === 'attended' || row.state === 'late' || row.pendingAt !== undefined : false
  const canCheckIn = isCheckinOpen(session, now) && !done
  const before = !row || row.state === 'upcoming'
  return (
    <View className='home-section home-next-section' data-state={state?.key ?? ''}>
      <Text className='home-section-title'>下次活动</Text>
      <SessionCard
        session={session}
        stateKey={state?.key}
        stateLabel={state?.label}
        hint={before ? windowText(session, timeText) : undefined}
        onClick={() => goDetail(session._id)}
      >
        {canCheckIn ? (
          <Button className='home-next-checkin' data-session-id={session._id} onClick={() => Taro.switchTab({ url: '/pages/checkin/index' })}>
            去签到
          </Button>
        ) : null}
      </SessionCard>
      {before && !canCheckIn && row?.leaveStatus === undefined ? (
        <Text className='home-section-text home-next-foot'>不能参加的话，点开这场活动就能请假。</Text>
      ) : null}
    </View>
  )
}
