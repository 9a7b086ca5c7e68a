import { Button, Text, View } from '@tarojs/components'
import './member-picker.scss'

export interface PickItem {
  id: string
  name: string
  /** A short note on the right (e.g. 缺席, 请假). */
  note?: string
}

interface Props {
  items: PickItem[]
  selected: string[]
  onChange: (ids: string[]) => void
}

/** Tap a whole row to tick a member; big rows, one thumb. */
export default function MemberPicker({ items, selected, onChange }: Props) {
  const on = new Set(selected)
  const toggle = (id: string) => {
    const next = new Set(on)
    if (next.has(id)) next.delete(id)
    else next.add(id)
    onChange(items.map((i) => i.id).filter((x) => next.has(x)))
  }
  return (
    <View className='member-picker'>
      <View className='pick-tools'>
        <Text className='pick-summary'>已选 {selected.length} / {items.length} 人</Text>
        <Button className='pick-all' onClick={() => onChange(items.map((i) => i.id))}>
          全选
        </Button>
        <Button className='pick-none' onClick={() => onChange([])}>
          清空
        </Button>
      </View>
      {items.map((i) => (
        <View
          key={i.id}
          className={`pick-row${on.has(i.id) ? ' pick-row--on' : ''}`}
          data-member-id={i.id}
          onClick={() => toggle(i.id)}
        >
          <Text className='pick-box'>{on.has(i.id) ? '✓' : ''}</Text>
          <Text className='pick-name'>{i.name}</Text>
          {i.note ? <Text className='pick-note'>{i.note}</Text> : null}
        </View>
      ))}
    </View>
  )
}
