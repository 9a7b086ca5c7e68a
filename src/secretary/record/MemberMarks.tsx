import { Button, Input, Text, View } from '@tarojs/components'
import type { MemberSummary } from '../../api/org'
import { FINAL_WORDS, sessionFiguresText } from '../../core/checkin/words'
import { Chips } from '../schedule/fields'

/** A member's part as the paper list shows it; absent is what nobody marked. */
export type Mark = 'attended' | 'late' | 'leave' | 'absent'
export interface Entry {
  mark: Mark
  reason: string
}

const MARKS: { value: Mark; label: string }[] = (['attended', 'late', 'leave', 'absent'] as const).map((value) => ({ value, label: FINAL_WORDS[value] }))

const count = (people: MemberSummary[], entries: Record<string, Entry>, mark: Mark) =>
  people.filter((p) => (entries[p._id]?.mark ?? 'absent') === mark).length

/**
 * Everyone the meeting expected, each with 出席 / 迟到 / 请假 / 缺席 as on the
 * sign-in sheet, and a reason line for leave (it goes into the ledger).
 */
export default function MemberMarks({ people, entries, onChange, selfId }: {
  people: MemberSummary[]
  entries: Record<string, Entry>
  onChange: (next: Record<string, Entry>) => void
  /** The secretary's own row offers no 请假: nobody enters their own leave. */
  selfId: string | null
}) {
  const set = (id: string, patch: Partial<Entry>) => onChange({ ...entries, [id]: { ...(entries[id] ?? { mark: 'absent', reason: '' }), ...patch } })
  const allPresent = () => {
    const next: Record<string, Entry> = { ...entries }
    for (const p of people) if ((entries[p._id]?.mark ?? 'absent') === 'absent') next[p._id] = { mark: 'attended', reason: '' }
    onChange(next)
  }
  return (
    <View className='record-marks'>
      <View className='record-marks-tools'>
        <Text className='record-marks-summary'>
          {sessionFiguresText({ expected: people.length, present: count(people, entries, 'attended') + count(people, entries, 'late') })}：{MARKS.map((m) => `${m.label} ${count(people, entries, m.value)}`).join('，')}
        </Text>
        <Button className='record-all-present' onClick={allPresent}>
          其余都出席
        </Button>
      </View>
      {people.map((p) => {
        const e = entries[p._id] ?? { mark: 'absent' as Mark, reason: '' }
        return (
          <View key={p._id} className={`record-person record-person-${e.mark}`} data-member-id={p._id} data-mark={e.mark}>
            <Text className='record-person-name'>{p.name}</Text>
            <Chips<Mark>
              className='record-mark'
              options={p._id === selfId ? MARKS.filter((m) => m.value !== 'leave') : MARKS}
              value={e.mark}
              onChange={(mark) => set(p._id, { mark })}
            />
            {e.mark === 'leave' ? (
              <Input
                className='form-input record-leave-reason'
                value={e.reason}
                maxlength={200}
                placeholder='请假原因，例如：生病住院'
                onInput={(ev) => set(p._id, { reason: ev.detail.value })}
              />
            ) : null}
          </View>
        )
      })}
    </View>
  )
}
