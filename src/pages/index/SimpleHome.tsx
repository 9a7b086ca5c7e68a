import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import type { Me } from '../../api/auth'
import { typeLabel, whenText } from '../../components/format'
import { workbenchTitle } from '../../components/workbenchTitle'
import { LARGE_PAGE_CLASS } from '../../hooks/useLargeText'
import { useRequest } from '../../hooks/useRequest'
import { useRefreshRound } from '../../hooks/useShownAgain'
import HomeNotices, { greeting } from './HomeNotices'
import { nextSession } from './nextSession'

/**
 * 长辈模式 home: the name, the next session, and two big buttons (签到, 笔记),
 * nothing else to read past. A secretary keeps the way to the workbench.
 */
export default function SimpleHome({ me, error }: { me: Me; error: { message: string } | null }) {
  const pending = me.member.joinStatus === 'pending'
  const [round] = useRefreshRound()
  const next = useRequest(pending ? null : `next:${me.member._id}:${round}`, () => nextSession(me))
  const session = next.data

  return (
    <View className={`page home ${LARGE_PAGE_CLASS} home--simple`}>
      <View className='home-header'>
        <Text className='home-greeting'>
          {greeting()}，<Text className='home-name'>{me.member.name}</Text>
        </Text>
      </View>

      <HomeNotices pending={pending} error={error} />

      {session ? (
        <View
          className='home-next'
          data-session-id={session._id}
          hoverClass='home-card--pressed'
          onClick={() => Taro.navigateTo({ url: `/pages/session/index?id=${encodeURIComponent(session._id)}` })}
        >
          <Text className='home-next-label'>下次活动 · {typeLabel(session.type)}</Text>
          <Text className='home-next-title'>{session.title}</Text>
          <Text className='home-next-when'>{whenText(session.startAt, session.endAt)}</Text>
          <Text className='home-next-venue'>地点：{session.venue.name}</Text>
        </View>
      ) : null}

      <View className='home-big home-big-checkin' hoverClass='home-big--pressed' onClick={() => Taro.switchTab({ url: '/pages/checkin/index' })}>
        <Text className='home-big-title'>签到</Text>
        <Text className='home-big-hint'>到了会场，点这里扫码签到</Text>
      </View>
      <View className='home-big home-big-notes' hoverClass='home-big--pressed' onClick={() => Taro.switchTab({ url: '/pages/notes/index' })}>
        <Text className='home-big-title'>笔记</Text>
        <Text className='home-big-hint'>写学习笔记，看今年写了多少</Text>
      </View>

      {me.isSecretary || me.isAdmin ? (
        <View
          className='home-card secretary-entry'
          hoverClass='home-card--pressed'
          onClick={() => Taro.navigateTo({ url: '/secretary/index/index' })}
        >
          <Text className='home-card-title'>{workbenchTitle(me.isAdmin)}</Text>
        </View>
      ) : null}

      <Text className='home-simple-foot'>现在是长辈模式。想看全部内容，到“我的”里关掉“长辈模式”。</Text>
    </View>
  )
}
