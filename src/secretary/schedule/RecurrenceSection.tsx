import { Input, Text, View } from '@tarojs/components'
import { WEEKDAY_NAMES, dayParts } from '../lib/time'
import { occurrencesToYearEnd, type Repeat } from './form'
import { Chips, Field } from './fields'
import type { ScheduleForm } from './useScheduleForm'

/** 重复: once, monthly on this day, or weekly on this weekday; a number of times or to the year's end. */
export default function RecurrenceSection({ form }: { form: ScheduleForm }) {
  const { f, set } = form
  const parts = dayParts(f.date)
  const toYearEnd = f.repeat === 'none' ? 0 : occurrencesToYearEnd(f.date, f.repeat)
  return (
    <Field label='重复'>
      <Chips
        className='schedule-repeat'
        value={f.repeat}
        onChange={(v) => set('repeat', v)}
        options={[
          { value: 'none' as Repeat, label: '不重复' },
          { value: 'month' as Repeat, label: parts ? `每月 ${parts.day} 日` : '每月' },
          { value: 'week' as Repeat, label: parts ? `每${WEEKDAY_NAMES[parts.weekday]}` : '每周' }
        ]}
      />
      {f.repeat !== 'none' ? (
        <View className='form-repeat'>
          <Chips
            className='schedule-repeat-until'
            value={f.untilYearEnd ? 'year_end' : 'count'}
            onChange={(v) => set('untilYearEnd', v === 'year_end')}
            options={[
              { value: 'count', label: '按次数' },
              { value: 'year_end', label: `到年底（约 ${toYearEnd} 次）` }
            ]}
          />
          {!f.untilYearEnd ? (
            <View className='form-count'>
              <Text className='form-label'>一共安排</Text>
              <Input
                className='form-input form-input--short schedule-count-input'
                type='number'
                value={f.count}
                onInput={(e) => set('count', e.detail.value)}
              />
              <Text className='form-label'>次（含这一次）</Text>
            </View>
          ) : null}
          {f.repeat === 'month' && parts && parts.day > 28 ? (
            <Text className='form-hint'>没有 {parts.day} 日的月份，会安排在当月最后一天。</Text>
          ) : null}
        </View>
      ) : null}
    </Field>
  )
}
