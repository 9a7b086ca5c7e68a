import { useState } from 'react'
import { Button, Input, Text, View } from '@tarojs/components'
import { newClientId } from '../../api/drafts'
import { adjustPoints } from '../../api/stats'
import { ADJUST_MAX, checkAdjust, signedPoints } from '../../components/statsText'
import { useAction } from '../../hooks/useAction'

const PRESETS = ['讲授专题党课', '参加志愿服务', '承担支部工作任务', '更正记录有误']

interface Props {
  memberId: string
  name: string
  /** Called after a saved adjustment, to read the ledger again. */
  onSaved: () => void
}

/**
 * 调整积分: for what the rules do not cover. A sign to tap (a phone's number
 * keyboard often has no minus), 1–20 points, and a reason the member will
 * read next to the entry, with the adjuster's name.
 */
export default function AdjustForm({ memberId, name, onSaved }: Props) {
  const [sign, setSign] = useState<1 | -1>(1)
  const [amount, setAmount] = useState('')
  const [reason, setReason] = useState('')
  // One id per adjustment: a retried or doubled tap lands on the same entry.
  const [clientId, setClientId] = useState(() => newClientId())
  const [saved, setSaved] = useState('')
  const act = useAction()

  const submit = () => {
    setSaved('')
    const checked = checkAdjust(sign, amount, reason)
    if ('message' in checked) {
      act.setMessage(checked.message)
      return
    }
    void act
      .run(() => adjustPoints({ memberId, delta: checked.delta, reason: checked.reason, clientId }), '没有调整成功，请稍后再试')
      .then((ok) => {
        if (!ok) return
        setSaved(`已为${name}${checked.delta > 0 ? '加' : '扣'} ${Math.abs(checked.delta)} 分，已记入积分明细。`)
        setAmount('')
        setReason('')
        setClientId(newClientId())
        onSaved()
      })
  }

  const n = Number(amount)
  const preview = /^\d{1,2}$/.test(amount.trim()) && n >= 1 && n <= ADJUST_MAX ? `（${signedPoints(sign * n)} 分）` : ''

  return (
    <View className='adjust-form'>
      <Text className='adjust-title'>调整积分</Text>
      <Text className='form-hint'>用于积分规则没有覆盖的情况。调整记在今天，会出现在这位同志的积分明细里，本人能看到原因和调整人。</Text>
      <View className='form-chips adjust-sign'>
        <Text className={`form-chip adjust-sign-plus${sign === 1 ? ' form-chip--on' : ''}`} onClick={() => setSign(1)}>
          加分
        </Text>
        <Text className={`form-chip adjust-sign-minus${sign === -1 ? ' form-chip--on' : ''}`} onClick={() => setSign(-1)}>
          扣分
        </Text>
      </View>
      <View className='form-field'>
        <Text className='form-label'>分数（1–{ADJUST_MAX}）</Text>
        <Input className='form-input adjust-amount' type='number' maxlength={2} placeholder='例如 2' value={amount} onInput={(e) => setAmount(e.detail.value)} />
      </View>
      <View className='form-field'>
        <Text className='form-label'>原因（必填）</Text>
        <View className='form-chips'>
          {PRESETS.map((p) => (
            <Text key={p} className={`form-chip adjust-preset${reason === p ? ' form-chip--on' : ''}`} onClick={() => setReason(p)}>
              {p}
            </Text>
          ))}
        </View>
        <Input className='form-input adjust-reason' maxlength={100} placeholder='写明为什么调整' value={reason} onInput={(e) => setReason(e.detail.value)} />
      </View>
      {act.message ? <Text className='form-error adjust-error'>{act.message}</Text> : null}
      {saved ? <Text className='adjust-saved'>{saved}</Text> : null}
      <Button className='form-submit adjust-submit' loading={act.busy || undefined} disabled={act.busy || undefined} onClick={submit}>
        确认{sign === 1 ? '加分' : '扣分'}
        {preview}
      </Button>
    </View>
  )
}
