import { Button, Input, Text, Textarea, View } from '@tarojs/components'
import StatusBlock from '../../components/StatusBlock'
import { typeLabel, whenText } from '../../components/format'
import { SEND_TEMPLATE_KEYS } from '../../core/vocab/reminder'
import { DEFAULT_REMIND_LIMITS } from '../../core/remind/limits'
import { TEMPLATE_LABELS } from '../../core/remind/templates'
import { REMINDER_AUDIENCE_KINDS, REMINDER_AUDIENCE_LABELS } from '../../core/vocab/reminder'
import MemberPicker from '../components/MemberPicker'
import Figures from '../../components/Figures'
import { Chips, Field } from '../schedule/fields'
import { BODY_MAX, TITLE_MAX, type RemindForm, type TemplateChoice } from './useRemindForm'

const AUDIENCE_HINTS: Record<(typeof REMINDER_AUDIENCE_KINDS)[number], string> = {
  branch: '本支部所有党员都会收到。',
  members: '只发给您勾选的党员。',
  not_checked_in: '只提醒这一场活动应到、还没签到、也没有请假的同志。',
  makeup_pending: '只提醒补学还没完成的同志；不选活动就是所有补学。',
  behind_pace: '只提醒今年笔记进度慢于平均进度的同志；免考核的同志不会收到。',
  warned: '只提醒本季度有预警的同志。'
}

const TEMPLATE_OPTIONS: { value: TemplateChoice; label: string }[] = [
  ...SEND_TEMPLATE_KEYS.map((k) => ({ value: k as TemplateChoice, label: TEMPLATE_LABELS[k] })),
  { value: 'custom', label: '自己写' }
]

/** The sessions to choose from, as big rows: easier to hit than a picker wheel. */
function SessionChooser({ form, optional }: { form: RemindForm; optional: boolean }) {
  const { sessions, sessionId, chooseSession } = form
  return (
    <Field label={optional ? '哪一场活动（可不选）' : '哪一场活动'}>
      <StatusBlock loading={sessions.loading} error={sessions.error} onRetry={sessions.retry} />
      {sessions.data && sessions.data.length === 0 ? <Text className='form-hint'>前后两周内没有活动。</Text> : null}
      <View className='remind-sessions'>
        {optional && sessions.data && sessions.data.length > 0 ? (
          <View className={`remind-session${sessionId === null ? ' remind-session--on' : ''}`} data-session-id='' onClick={() => chooseSession(null)}>
            <Text className='remind-session-title'>不限活动</Text>
          </View>
        ) : null}
        {(sessions.data ?? []).map((s) => (
          <View
            key={s._id}
            className={`remind-session${s._id === sessionId ? ' remind-session--on' : ''}`}
            data-session-id={s._id}
            onClick={() => chooseSession(s._id)}
          >
            <Text className='remind-session-title'>
              {typeLabel(s.type)} · {s.title}
            </Text>
            <Text className='remind-session-when'>
              {whenText(s.startAt, s.endAt)} · {s.venue.name}
            </Text>
          </View>
        ))}
      </View>
    </Field>
  )
}

/** Whom, about which session, and what to say. */
export default function ComposeForm({ form }: { form: RemindForm }) {
  const { kind, template } = form
  const showSessions = kind === 'not_checked_in' || kind === 'makeup_pending' || template === 'session_tomorrow' || template === 'session_soon' || template === 'makeup_due'
  return (
    <View className='remind-compose'>
      <Field label='提醒谁' hint={AUDIENCE_HINTS[kind]}>
        <Chips
          className='remind-audience'
          value={kind}
          onChange={form.chooseKind}
          options={REMINDER_AUDIENCE_KINDS.map((k) => ({ value: k, label: REMINDER_AUDIENCE_LABELS[k] }))}
        />
      </Field>

      {kind === 'members' ? (
        <View className='form-field'>
          <StatusBlock loading={form.people.loading} error={form.people.error} onRetry={form.people.retry} />
          {form.people.data ? (
            <MemberPicker items={form.people.data.map((m) => ({ id: m._id, name: m.name }))} selected={form.memberIds} onChange={form.setMemberIds} />
          ) : null}
        </View>
      ) : null}

      {kind === 'warned' ? (
        <Field label='哪些预警'>
          <Chips
            className='remind-level'
            value={form.level}
            onChange={form.setLevel}
            options={[
              { value: 'any', label: '黄色和红色' },
              { value: 'red', label: '只要红色' }
            ]}
          />
        </Field>
      ) : null}

      {showSessions ? <SessionChooser form={form} optional={kind !== 'not_checked_in'} /> : null}

      <Field label='常用提醒' hint='点一下会填好标题和内容，您可以再改。'>
        <Chips className='remind-templates' value={template} onChange={form.chooseTemplate} options={TEMPLATE_OPTIONS} />
      </Field>

      <Field label='标题'>
        <Input
          className='form-input remind-title-input'
          value={form.title}
          maxlength={TITLE_MAX}
          placeholder='例如：明天上午的主题党日'
          onInput={(e) => form.setTitle(e.detail.value)}
        />
        <Text className='remind-counter'>
          {form.title.length}/{TITLE_MAX}
        </Text>
      </Field>

      <Field label='内容'>
        <Textarea
          className='form-textarea remind-body-input'
          value={form.body}
          maxlength={BODY_MAX}
          placeholder='说清楚什么事、什么时间、在哪里；不方便参加的可以请假。'
          onInput={(e) => form.setBody(e.detail.value)}
        />
        <Text className={`remind-counter${form.body.length >= BODY_MAX ? ' remind-counter--full' : ''}`}>
          {form.body.length}/{BODY_MAX}
        </Text>
      </Field>

      <Figures
        className='form-hint remind-limits'
        text={`为了不打扰大家：每人每天最多收到 ${DEFAULT_REMIND_LIMITS.maxPerDay} 条提醒；晚上 ${DEFAULT_REMIND_LIMITS.quietStartHour} 点到早上 ${DEFAULT_REMIND_LIMITS.quietEndHour} 点发的提醒，早上 ${DEFAULT_REMIND_LIMITS.quietEndHour} 点再送达。`}
      />
      {form.action.message ? <Text className='form-error remind-error'>{form.action.message}</Text> : null}
      <Button className='form-submit remind-preview' loading={form.action.busy || undefined} disabled={form.action.busy || undefined} onClick={form.toPreview}>
        预览
      </Button>
    </View>
  )
}
