import { useState } from 'react'
import { Button, Input, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { joinBranch } from '../../api/auth'
import RoleBadges from '../../components/RoleBadges'
import StatusBlock from '../../components/StatusBlock'
import { useAction } from '../../hooks/useAction'
import { useMe } from '../../hooks/useMe'
import './index.scss'

const CARDS = [
  { key: 'checkin', title: '签到', hint: '扫码签到、请假、补学和我的记录', url: '/pages/checkin/index' },
  { key: 'notes', title: '笔记', hint: '学习笔记功能即将上线', url: '/pages/notes/index' },
  { key: 'ranking', title: '排行', hint: '学习排行即将上线', url: '/pages/ranking/index' },
  { key: 'me', title: '我的', hint: '查看我的信息和学习记录', url: '/pages/me/index' }
] as const

function greeting(now = new Date()): string {
  const h = now.getHours()
  if (h < 11) return '上午好'
  if (h < 13) return '中午好'
  if (h < 18) return '下午好'
  return '晚上好'
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
      <Input
        className='join-input join-name'
        placeholder='您的姓名'
        value={name}
        maxlength={30}
        onInput={(e) => setName(e.detail.value)}
      />
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

export default function Home() {
  const { me, loading, error, reload } = useMe()

  if (!me) {
    if (loading || error) {
      return (
        <View className='page home'>
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

      {me.isSecretary || me.isAdmin ? (
        <View
          className='home-card secretary-entry'
          hoverClass='home-card--pressed'
          onClick={() => Taro.navigateTo({ url: '/secretary/index/index' })}
        >
          <Text className='home-card-title'>书记工作台</Text>
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
