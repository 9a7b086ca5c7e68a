import { Button, Text, View } from '@tarojs/components'
import { nextPeriod, parsePeriod, periodKeyOf, previousPeriod, type PeriodKind } from '../../core/period'
import { isCurrentOrLater, periodName, periodShortName } from '../statsText'
import './index.scss'

const KIND_LABELS: Record<PeriodKind, string> = { month: '本月', quarter: '本季度', year: '本年' }
const UNIT: Record<PeriodKind, string> = { month: '月', quarter: '季度', year: '年' }
/** Nothing in the app is older than this; stops the ‹ button at a sensible place. */
const FIRST_YEAR = 2020

interface Props {
  value: string
  onChange: (period: string) => void
  /** Which kinds to offer; a single kind hides the chips (e.g. quarters only for 季通报). */
  kinds?: PeriodKind[]
}

/**
 * 本月 / 本季度 / 本年, then ‹ › to step back through earlier periods of that
 * kind. Never steps past the current period: there is nothing to see there.
 */
export default function PeriodPicker({ value, onChange, kinds = ['month', 'quarter', 'year'] }: Props) {
  const now = Date.now()
  const p = parsePeriod(value)
  // Keys sort as strings: '2019-12' < '2020' <= '2020-01'.
  const canPrev = previousPeriod(value) >= String(FIRST_YEAR)
  const canNext = !isCurrentOrLater(value, now)
  const short = periodShortName(value, now)
  const full = periodName(value)
  return (
    <View className='period-picker' data-period={value}>
      {kinds.length > 1 ? (
        <View className='period-kinds'>
          {kinds.map((k) => (
            <Text
              key={k}
              className={`period-kind period-kind-${k}${p.kind === k ? ' period-kind--on' : ''}`}
              onClick={() => {
                if (p.kind !== k) onChange(periodKeyOf(now, k))
              }}
            >
              {KIND_LABELS[k]}
            </Text>
          ))}
        </View>
      ) : null}
      <View className='period-nav'>
        {canPrev ? (
          <Button className='period-btn period-prev' ariaLabel={`上一个${UNIT[p.kind]}`} onClick={() => onChange(previousPeriod(value))}>
            ‹ 上期
          </Button>
        ) : (
          <View className='period-spacer' />
        )}
        <View className='period-label'>
          <Text className='period-label-main'>{full}</Text>
          {short !== full ? <Text className='period-label-sub'>{short}</Text> : null}
        </View>
        {canNext ? (
          <Button className='period-btn period-next' ariaLabel={`下一个${UNIT[p.kind]}`} onClick={() => onChange(nextPeriod(value))}>
            下期 ›
          </Button>
        ) : (
          <View className='period-spacer' />
        )}
      </View>
    </View>
  )
}
