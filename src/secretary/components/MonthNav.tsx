import { Button, Text, View } from '@tarojs/components'
import { nextPeriod, parsePeriod, previousPeriod } from '../../core/period'
import './month-nav.scss'

/** ‹ 2026年11月 › — big arrows for one thumb; months or quarters. */
export default function MonthNav({ period, onChange, max }: { period: string; onChange: (p: string) => void; max?: string }) {
  const p = parsePeriod(period)
  const label = p.kind === 'month' ? `${p.year}年${p.month}月` : p.kind === 'quarter' ? `${p.year}年第${p.quarter}季度` : `${p.year}年`
  const canNext = !max || nextPeriod(period) <= max
  return (
    <View className='month-nav'>
      <Button className='month-nav-btn month-nav-prev' onClick={() => onChange(previousPeriod(period))}>
        ‹
      </Button>
      <Text className='month-nav-label' data-period={period}>
        {label}
      </Text>
      {canNext ? (
        <Button className='month-nav-btn month-nav-next' onClick={() => onChange(nextPeriod(period))}>
          ›
        </Button>
      ) : (
        <View className='month-nav-spacer' />
      )}
    </View>
  )
}
