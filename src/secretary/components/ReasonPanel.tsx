import { useState } from 'react'
import { Button, Input, Text, View } from '@tarojs/components'
import { useAction } from '../../hooks/useAction'
import './reason-panel.scss'

type Part = 'panel' | 'title' | 'chips' | 'chip' | 'input' | 'error' | 'actions' | 'back' | 'confirm'

interface Props {
  /**
   * The page's class names stay on each part (tests and page styles select by
   * them): `${prefix}-panel`, `-title`, `-chips`, `-chip`, `-reason-input`,
   * `-error`, `-actions`, `-back`, `-confirm`, unless `classes` names a part
   * otherwise. Every part also carries the shared `.reason-*` class.
   */
  prefix: string
  classes?: Partial<Record<Part, string>>
  title?: string
  placeholder: string
  /** Reasons to pick with one tap (they fill the field, which stays editable). */
  presets?: readonly string[]
  /** When given, an empty reason is not sent: this sentence says why. Otherwise it may be left empty. */
  required?: string
  backText: string
  confirmText: string
  /** Shown when the server gives no message of its own. */
  failText: string
  /** Sends the (trimmed) reason; the panel shows the failure, the caller closes it on success. */
  onConfirm: (reason: string) => Promise<unknown>
  onClose: () => void
}

/**
 * Ask why, then do it: the panel every secretary action with a stated reason
 * uses (代签, 取消活动, 不批准请假). The reason goes into the record or to the
 * member, so it is asked for in full sentences and kept to 200 characters.
 */
export default function ReasonPanel(props: Props) {
  const { prefix, classes = {}, presets = [] } = props
  const [reason, setReason] = useState('')
  const act = useAction()
  const own = (part: Part) => classes[part] ?? `${prefix}-${part === 'input' ? 'reason-input' : part}`
  const cls = (part: Part) => `reason-${part} ${own(part)}`

  const confirm = () => {
    if (props.required && !reason.trim()) {
      act.setMessage(props.required)
      return
    }
    void act.run(() => props.onConfirm(reason.trim()), props.failText)
  }

  return (
    <View className={cls('panel')}>
      {props.title ? <Text className={cls('title')}>{props.title}</Text> : null}
      {presets.length > 0 ? (
        <View className={cls('chips')}>
          {presets.map((r) => {
            const on = reason === r
            const chip = own('chip')
            return (
              <Text key={r} className={`reason-chip ${chip}${on ? ` reason-chip--on ${chip}--on` : ''}`} onClick={() => setReason(r)}>
                {r}
              </Text>
            )
          })}
        </View>
      ) : null}
      <Input
        className={cls('input')}
        placeholder={props.placeholder}
        value={reason}
        maxlength={200}
        onInput={(e) => setReason(e.detail.value)}
      />
      {act.message ? <Text className={cls('error')}>{act.message}</Text> : null}
      <View className={cls('actions')}>
        <Button className={cls('back')} onClick={props.onClose}>
          {props.backText}
        </Button>
        <Button className={cls('confirm')} loading={act.busy || undefined} disabled={act.busy || undefined} onClick={confirm}>
          {props.confirmText}
        </Button>
      </View>
    </View>
  )
}
