import { Picker, View } from '@tarojs/components'
import StatusBlock from '../../components/StatusBlock'
import { LECTURE_MIN_MINUTES } from '../../core/stats/lecture'
import { Field } from './fields'
import type { ScheduleForm } from './useScheduleForm'

const NOBODY = '不指定'

/** 讲课人 of a 党课: one member of the branch, or nobody (the field is optional). */
export default function LecturerSection({ form }: { form: ScheduleForm }) {
  const { f, set, people } = form
  if (f.type !== 'party_lecture') return null
  const list = people.data ?? []
  const index = list.findIndex((m) => m._id === f.lecturerId)
  // A lecturer stored on the session who has since left the branch is not in the list; say so
  // rather than showing 不指定, which would hide that one is still recorded.
  const shown = index >= 0 ? list[index].name : f.lecturerId ? '已不在本支部的同志' : NOBODY
  return (
    <Field label='讲课人（可不填）' hint={`讲党课的同志在活动结束统计后获得“讲授党课”积分（党课不少于 ${LECTURE_MIN_MINUTES} 分钟；同一位同志每月计一次）`}>
      {people.data ? (
        <Picker
          mode='selector'
          // 不指定 first, so a chosen lecturer can be taken back off.
          range={[NOBODY, ...list.map((m) => m.name)]}
          value={index + 1}
          onChange={(e) => {
            const i = Number(e.detail.value)
            set('lecturerId', i > 0 ? list[i - 1]._id : '')
          }}
        >
          <View className='form-picker schedule-lecturer' data-value={f.lecturerId}>
            {shown}
          </View>
        </Picker>
      ) : (
        <StatusBlock loading={people.loading} error={people.error} onRetry={people.retry} loadingText='正在载入支部党员名单…' />
      )}
    </Field>
  )
}
