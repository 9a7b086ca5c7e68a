import { Picker, View } from '@tarojs/components'
import { WEEKDAY_NAMES, dayParts } from '../lib/time'
import Figures from '../../components/Figures'
import { Field } from './fields'
import type { ScheduleForm } from './useScheduleForm'

const TIMES = [
  { key: 'start', label: '开始' },
  { key: 'end', label: '结束' }
] as const

/** The day and the start and end times, read as Shanghai time; the check-in window follows from them. */
export default function TimeSection({ form }: { form: ScheduleForm }) {
  const { f, set, setDate } = form
  const parts = dayParts(f.date)
  return (
    <>
      <Field label='日期'>
        <Picker mode='date' value={f.date} onChange={(e) => setDate(String(e.detail.value))}>
          <View className='form-picker schedule-date' data-value={f.date}>
            {f.date}
            {parts ? ` ${WEEKDAY_NAMES[parts.weekday]}` : ''}
          </View>
        </Picker>
      </Field>

      <View className='form-row'>
        {TIMES.map(({ key, label }) => (
          <Field key={key} label={label}>
            <Picker mode='time' value={f[key]} onChange={(e) => set(key, String(e.detail.value))}>
              <View className={`form-picker schedule-${key}`} data-value={f[key]}>
                {f[key]}
              </View>
            </Picker>
          </Field>
        ))}
      </View>
      <Figures className='form-hint' text='签到从开始前 30 分钟开放，开始 10 分钟后签到记为迟到，活动结束时关闭。' />
    </>
  )
}
