import { useRef, useState } from 'react'
import { Button, Input, Text, View } from '@tarojs/components'
import { newClientId } from '../../api/drafts'
import { recordTalk, type MemberWarning } from '../../api/stats'
import Figures from '../../components/Figures'
import { dayText } from '../../components/format'
import { TALK_NOTE_MAX } from '../../core/vocab/talks'
import { useAction } from '../../hooks/useAction'

type Shown = NonNullable<MemberWarning['talk']>

/**
 * Where a warning suggests 谈心谈话: that it took place, or a short form to say so
 * (today, and a note only the branch's officers read).
 */
export default function TalkRecord({ w }: { w: MemberWarning }) {
  const [talk, setTalk] = useState<Shown | undefined>(w.talk)
  const [open, setOpen] = useState(false)
  const [note, setNote] = useState('')
  const clientId = useRef(newClientId())
  const act = useAction()
  const save = () =>
    void act.run(async () => {
      setTalk(await recordTalk({ memberId: w.memberId, note, clientId: clientId.current, at: Date.now() }))
      setOpen(false)
    }, '没有记录成功，请稍后再试')

  if (talk && !open) {
    return <Figures className='warning-talk-done' text={`已于 ${dayText(talk.at)} 谈心谈话（${talk.byName}）${talk.note ? `：${talk.note}` : ''}`} />
  }
  if (!open) {
    return (
      <Button className='warning-btn warning-talk-open' onClick={() => setOpen(true)}>
        记录谈心谈话
      </Button>
    )
  }
  return (
    <View className='warning-talk-form'>
      <Text className='warning-talk-hint'>记录今天已和本人谈心谈话。备注只有本支部书记、支委能看到。</Text>
      <Input className='warning-talk-note' value={note} maxlength={TALK_NOTE_MAX} placeholder='备注（可不填），例如：了解到家中困难' onInput={(e) => setNote(e.detail.value)} />
      {act.message ? <Text className='form-error'>{act.message}</Text> : null}
      <Button className='warning-btn warning-talk-save' loading={act.busy || undefined} disabled={act.busy || undefined} onClick={save}>
        保存
      </Button>
    </View>
  )
}
