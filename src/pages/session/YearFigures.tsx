import { Text, View } from '@tarojs/components'
import type { MyRecord } from '../../api/checkin'
import { attendanceFigures } from '../../core/checkin/attendance'
import { yearFiguresParts } from '../../core/checkin/words'

/**
 * The member's year beside this session's state, in the same figures as 我的
 * and 我的档案 (one definition: core/checkin/attendance.ts), so what they
 * read here never disagrees with what an inspection reads there.
 */
export default function YearFigures({ rec }: { rec: MyRecord }) {
  const f = attendanceFigures(rec.counts)
  return (
    <View className='my-state-year' data-expected={f.expected} data-present={f.present}>
      <Text className='my-state-year-title'>{rec.year} 年我的组织生活：</Text>
      {yearFiguresParts({ ...f, rate: rec.rate }).map((part) => (
        <Text key={part} className='my-state-figure num'>
          {part}
        </Text>
      ))}
    </View>
  )
}
