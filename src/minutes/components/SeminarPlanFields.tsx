import { Input, Text, View } from '@tarojs/components'
import type { MinutesView } from '../../api/minutes'
import { MINUTES_FIELD_LABELS, MINUTES_LIMITS } from '../../core/minutes/record'

/**
 * A 专题学习研讨's plan, filled before the meeting in the same form as its
 * record: the topic, and who speaks (tap to add or take off, in speaking order).
 */
export default function SeminarPlanFields({
  topic,
  speakerIds,
  people,
  onTopic,
  onSpeakers
}: {
  topic: string
  speakerIds: string[]
  people: MinutesView['people']
  onTopic: (t: string) => void
  onSpeakers: (ids: string[]) => void
}) {
  const toggle = (id: string) => {
    if (speakerIds.includes(id)) onSpeakers(speakerIds.filter((s) => s !== id))
    else if (speakerIds.length < MINUTES_LIMITS.speakers) onSpeakers([...speakerIds, id])
  }
  return (
    <View className='mne-plan'>
      <Text className='form-hint'>专题学习研讨：会前定好研讨主题、学习材料和发言人，会后在这里补全记录。</Text>
      <View className='form-field'>
        <Text className='form-label'>{MINUTES_FIELD_LABELS.topic}</Text>
        <Input className='form-input mne-topic' value={topic} maxlength={MINUTES_LIMITS.topic} placeholder='例如：以学铸魂，坚定理想信念' onInput={(e) => onTopic(e.detail.value)} />
      </View>
      <View className='form-field'>
        <Text className='form-label'>{MINUTES_FIELD_LABELS.speakerIds}（点选，按发言顺序）</Text>
        <View className='form-chips mne-speakers'>
          {people.map((p) => {
            const at = speakerIds.indexOf(p.memberId)
            return (
              <View
                key={p.memberId}
                className={`form-chip mne-speaker${at >= 0 ? ' form-chip--on' : ''}`}
                data-member-id={p.memberId}
                role='checkbox'
                aria-checked={at >= 0}
                onClick={() => toggle(p.memberId)}
              >
                {at >= 0 ? `${at + 1}. ${p.name}` : p.name}
              </View>
            )
          })}
        </View>
      </View>
    </View>
  )
}
