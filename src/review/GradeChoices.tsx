import { View } from '@tarojs/components'
import { GRADES, GRADE_LABELS, type Grade } from '../core/vocab/review'

/** 优秀 / 合格 / 基本合格 / 不合格 as four big taps: one choice for one person, on a sheet or in the committee's outcomes. */
export default function GradeChoices({ value, onChange }: { value: Grade | undefined; onChange: (g: Grade) => void }) {
  return (
    <View className='rv-grades'>
      {GRADES.map((g) => (
        <View key={g} className={`rv-grade rv-grade--${g}${value === g ? ' rv-grade--on' : ''}`} role='radio' aria-checked={value === g} onClick={() => onChange(g)}>
          {GRADE_LABELS[g]}
        </View>
      ))}
    </View>
  )
}
