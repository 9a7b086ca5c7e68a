import { Text, View } from '@tarojs/components'
import type { ReminderSchedule } from '../../core/schemas/settings'
import { SESSION_TYPE_LABELS, SESSION_TYPES, type SessionType } from '../../core/vocab/session'
import { Field, SwitchRow } from '../schedule/fields'
import { Card, Stepper, useDraft, type GroupProps } from './parts'

/** The offsets a secretary can pick from; an organisation may hold others set through the API, and they are kept. */
const OFFSETS = [
  { minutes: 24 * 60, label: '提前一天提醒', hint: '前一天同一时间发出，方便大家安排。' },
  { minutes: 120, label: '提前两小时提醒', hint: '适合需要路上时间的活动。' },
  { minutes: 60, label: '提前一小时提醒', hint: '只提醒还没签到、没有请假的人。' }
]

/**
 * 定时提醒: which reminders the schedule sends by itself. Types switched off
 * here get none (a five-person 支委会 needs no app to remind it); the month's
 * pace reminder and the make-up deadline reminder can each be turned off.
 */
export default function ReminderScheduleCard({ stored, act, savedAt, scope, onSave }: GroupProps & { stored: ReminderSchedule; onSave: (r: ReminderSchedule) => void }) {
  const [draft, setDraft] = useDraft<ReminderSchedule>(() => stored, stored, scope)

  const hasOffset = (m: number) => draft.defaultSessionOffsets.includes(m)
  const toggleOffset = (m: number, on: boolean) => {
    const rest = draft.defaultSessionOffsets.filter((x) => x !== m)
    setDraft({ ...draft, defaultSessionOffsets: (on ? [...rest, m] : rest).sort((a, b) => b - a).slice(0, 3) })
  }
  const silenced = (t: SessionType) => draft.sessionOffsets[t]?.length === 0
  const toggleType = (t: SessionType) => {
    const next = { ...draft.sessionOffsets }
    if (silenced(t)) delete next[t]
    else next[t] = []
    setDraft({ ...draft, sessionOffsets: next })
  }

  return (
    <Card title='定时提醒' className='st-reminders' act={act} savedAt={savedAt} onSave={() => onSave(draft)}
      hint='系统按这里的设置自动提醒。每人每天最多收到 3 条（活动开始前一小时的提醒除外），晚上 10 点到早上 7 点不打扰。'>
      {OFFSETS.map((o) => (
        <SwitchRow key={o.minutes} className={`st-offset-${o.minutes}`} label={o.label} hint={o.hint} checked={hasOffset(o.minutes)} onChange={(on) => toggleOffset(o.minutes, on)} />
      ))}
      <Field label='这些活动不发定时提醒' hint='点一下切换。灰色的活动类型不会自动提醒，书记仍可手动发提醒。'>
        <View className='form-chips st-silenced-types'>
          {SESSION_TYPES.map((t) => (
            <Text key={t} className={`form-chip${silenced(t) ? '' : ' form-chip--on'}`} data-type={t} data-silenced={silenced(t) ? 'true' : 'false'} onClick={() => toggleType(t)}>
              {SESSION_TYPE_LABELS[t]}
            </Text>
          ))}
        </View>
      </Field>
      <SwitchRow className='st-pace-on' label='每月提醒笔记进度偏慢的党员' hint='每月只提醒一次，只发给进度偏慢的人。' checked={draft.paceDay !== null}
        onChange={(on) => setDraft({ ...draft, paceDay: on ? 20 : null })} />
      {draft.paceDay !== null ? (
        <Field label='每月几号提醒'>
          <Stepper className='st-pace-day' value={draft.paceDay} min={1} max={28} onChange={(v) => setDraft({ ...draft, paceDay: v })} />
        </Field>
      ) : null}
      <SwitchRow className='st-makeup-on' label='补学截止前提醒' hint='只提醒还没交补学的人。' checked={draft.makeupDaysBefore !== null}
        onChange={(on) => setDraft({ ...draft, makeupDaysBefore: on ? 2 : null })} />
      {draft.makeupDaysBefore !== null ? (
        <Field label='截止前几天提醒'>
          <Stepper className='st-makeup-days' value={draft.makeupDaysBefore} min={1} max={14} onChange={(v) => setDraft({ ...draft, makeupDaysBefore: v })} />
        </Field>
      ) : null}
    </Card>
  )
}
