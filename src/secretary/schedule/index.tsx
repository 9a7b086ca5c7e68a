import { Button, Input, Picker, Text, Textarea, View } from '@tarojs/components'
import StatusBlock from '../../components/StatusBlock'
import { SESSION_TYPES, SESSION_TYPE_LABELS } from '../../core/vocab/session'
import AudienceSection from './AudienceSection'
import LecturerSection from './LecturerSection'
import RecurrenceSection from './RecurrenceSection'
import ScheduleDone from './ScheduleDone'
import TimeSection from './TimeSection'
import VenueSection from './VenueSection'
import { Field, SwitchRow } from './fields'
import { useScheduleForm } from './useScheduleForm'
import './index.scss'
import { useLargeText } from '../../hooks/useLargeText'
import { withPageBoundary } from '../../components/PageBoundary'

const TYPE_LABELS = SESSION_TYPES.map((t) => SESSION_TYPE_LABELS[t])

/** 安排活动: schedule one session or a repeating series; with ?id= edits one occurrence. */
function Schedule() {
  const lt = useLargeText()
  const form = useScheduleForm()
  const { editId, existing, done, f, set } = form

  if (editId && !existing.data) {
    return (
      <View className={`page schedule-page ${lt.className}`}>
        <StatusBlock loading={existing.loading} error={existing.error} onRetry={existing.retry} />
      </View>
    )
  }

  if (done) return <ScheduleDone done={done} onAgain={form.again} />

  const typeIndex = Math.max(0, SESSION_TYPES.indexOf(f.type))

  return (
    <View className={`page schedule-page ${lt.className}`}>
      <Text className='page-title'>{editId ? '修改活动' : '安排活动'}</Text>
      {editId ? <Text className='page-lead'>只修改这一场，同一系列的其他场次不变。</Text> : null}

      <Field label='活动类型'>
        <Picker mode='selector' range={TYPE_LABELS} value={typeIndex} onChange={(e) => form.setType(SESSION_TYPES[Number(e.detail.value)])}>
          <View className='form-picker schedule-type' data-value={f.type}>
            {SESSION_TYPE_LABELS[f.type]}
          </View>
        </Picker>
      </Field>
      <LecturerSection form={form} />

      <Field label='活动名称'>
        <Input
          className='form-input schedule-title-input'
          value={f.title}
          maxlength={60}
          placeholder='例如：11月主题党日'
          onInput={(e) => form.setTitle(e.detail.value)}
        />
      </Field>

      <TimeSection form={form} />
      <VenueSection form={form} />
      <AudienceSection form={form} />

      <SwitchRow
        label='允许线上签到'
        hint='不在会场的同志（如线上参会）不扫码也能签到。'
        className='schedule-online-switch'
        checked={f.allowOnline}
        onChange={(on) => set('allowOnline', on)}
      />

      {/* Editing changes one occurrence; a series is only made when scheduling. */}
      {!editId ? <RecurrenceSection form={form} /> : null}

      <Field label='活动内容（可不填）'>
        <Textarea
          className='form-textarea schedule-desc-input'
          value={f.description}
          maxlength={500}
          placeholder='例如：学习《中国共产党纪律处分条例》，每人交流发言'
          onInput={(e) => set('description', e.detail.value)}
        />
      </Field>

      {form.message ? <Text className='form-error schedule-error'>{form.message}</Text> : null}
      <Button
        className='form-submit schedule-submit'
        loading={form.busy || undefined}
        disabled={form.busy || !form.branchId || undefined}
        onClick={form.submit}
      >
        {editId ? '保存修改' : '安排活动'}
      </Button>
    </View>
  )
}

export default withPageBoundary(Schedule)
