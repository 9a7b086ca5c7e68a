import { useState } from 'react'
import { Button, Input, Text, View } from '@tarojs/components'
import { joinBranch } from '../../api/auth'
import { useAction } from '../../hooks/useAction'

/** Someone signed in who belongs to no branch yet: their name and the secretary's invite code. */
export default function JoinBranch({ onJoined }: { onJoined: () => void }) {
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
