import { useState } from 'react'
import { Button, Input, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { joinBranch, type Me } from '../../api/auth'
import { listSessions, type Session } from '../../api/sessions'
import RoleBadges from '../../components/RoleBadges'
import StatusBlock from '../../components/StatusBlock'
import { typeLabel, whenText } from '../../components/format'
import { workbenchTitle } from '../../components/workbenchTitle'
import { isExpected } from '../../core/audience'
import { useAction } from '../../hooks/useAction'
import { LARGE_PAGE_CLASS, useLargeText } from '../../hooks/useLargeText'
import { useMe } from '../../hooks/useMe'
import { useRequest } from '../../hooks/useRequest'
import { useRefreshRound } from '../../hooks/useShownAgain'
import { withPageBoundary } from '../../components/PageBoundary'
import './index.scss'

const DAY = 24 * 60 * 60 * 1000

const CARDS = [
  { key: 'checkin', title: '签到', hint: '扫码签到、请假、补学和我的记录', url: '/pages/checkin/index' },
  { key: 'notes', title: '笔记', hint: '写学习笔记，看全年字数进度', url: '/pages/notes/index' },
  { key: 'ranking', title: '排行', hint: '参会率、笔记完成率和积分排行', url: '/pages/ranking/index' },
  { key: 'me', title: '我的', hint: '查看我的信息和学习记录', url: '/pages/me/index' }
] as const

/** Waiting for confirmation, or a failed refresh: said the same way on both homes. */
function HomeNotices({ pending, error }: { pending: boolean; error: { message: string } | null }) {
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

function greeting(now = new Date()): string {
  const h = now.getHours()
  if (h < 11) return '上午好'
  if (h < 13) return '中午好'
  if (h < 18) return '下午好'
  return '晚上好'
}

/** The next session this member is expected at, within 30 days (still running counts). */
async function nextSession(me: Me): Promise<Session | null> {
  const now = Date.now()
  const sessions = await listSessions(me.member.branchId, now - DAY, now + 30 * DAY)
  const mine = sessions
    .filter((s) => s.status !== 'cancelled' && s.endAt > now && isExpected(s, me.member))
    .sort((a, b) => a.startAt - b.startAt)
  return mine[0] ?? null
}

/**
 * 长辈模式 home: the name, the next session, and two big buttons (签到, 笔记),
 * nothing else to read past. A secretary keeps the way to the workbench.
 */
function SimpleHome({ me, error }: { me: Me; error: { message: string } | null }) {
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

function JoinBranch({ onJoined }: { onJoined: () => void }) {
  const [code, setCode] = useState('')
  const [name, setName] = useState('')
  const act = useAction()

  const submit = () => {
    if (!name.trim() || !code.trim()) {
      act.setMessage('请填写您的姓名和支部书记给您的邀请码')
      return
    }
    void act.run(async () => {
      await joinBranch(code.trim(), name.trim())
      onJoined()
    }, '加入没有成功，请稍后再试')
  }

  return (
    <View className='join-branch'>
      <Text className='page-title'>您还没有加入支部</Text>
      <Text className='page-lead'>请填写姓名和支部书记发给您的邀请码，书记确认后即可使用。</Text>
      <Text className='join-label'>姓名</Text>
      <Input
        className='join-input join-name'
        placeholder='您的姓名'
        value={name}
        maxlength={30}
        onInput={(e) => setName(e.detail.value)}
      />
      <Text className='join-label'>邀请码</Text>
      <Input
        className='join-input join-code'
        placeholder='邀请码（6 到 12 位字母或数字）'
        value={code}
        maxlength={12}
        onInput={(e) => setCode(e.detail.value)}
      />
      {act.message ? <Text className='join-error'>{act.message}</Text> : null}
      <Button className='join-submit' loading={act.busy} disabled={act.busy} onClick={submit}>
        加入支部
      </Button>
    </View>
  )
}

function Home() {
  const { me, loading, error, reload } = useMe()
  const { large, className } = useLargeText(me)

  if (!me) {
    if (loading || error) {
      return (
        <View className={`page home ${className}`}>
          <StatusBlock loading={loading} error={error} onRetry={reload} />
        </View>
      )
    }
    return (
      <View className='page home'>
        <JoinBranch onJoined={reload} />
      </View>
    )
  }

  if (large) return <SimpleHome me={me} error={error} />

  const pending = me.member.joinStatus === 'pending'
  const orgPath = me.orgPathNames.join(' / ')

  return (
    <View className='page home'>
      <View className='home-header'>
        <Text className='home-greeting'>
          {greeting()}，<Text className='home-name'>{me.member.name}</Text>
        </Text>
        <Text className='home-branch'>{me.branch.name}</Text>
        {orgPath ? <Text className='home-orgpath'>{orgPath}</Text> : null}
        <RoleBadges me={me} />
      </View>

      <HomeNotices pending={pending} error={error} />

      {me.isSecretary || me.isAdmin ? (
        <View
          className='home-card secretary-entry'
          hoverClass='home-card--pressed'
          onClick={() => Taro.navigateTo({ url: '/secretary/index/index' })}
        >
          <Text className='home-card-title'>{workbenchTitle(me.isAdmin)}</Text>
          <Text className='home-card-hint'>排期、签到码、审阅笔记、提醒</Text>
        </View>
      ) : null}

      <View className='home-cards'>
        {CARDS.map((card) => (
          <View
            key={card.key}
            className={`home-card home-card-${card.key}`}
            hoverClass='home-card--pressed'
            onClick={() => Taro.switchTab({ url: card.url })}
          >
            <Text className='home-card-title'>{card.title}</Text>
            <Text className='home-card-hint'>{card.hint}</Text>
          </View>
        ))}
      </View>
    </View>
  )
}

export default withPageBoundary(Home)
