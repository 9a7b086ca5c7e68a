import { useState } from 'react'
import { Button, Text, View } from '@tarojs/components'
import { budget, type TemplateKey } from '../../api/remind'
import StatusBlock from '../../components/StatusBlock'
import { TEMPLATE_LABELS } from '../../core/remind/templates'
import { useRequest } from '../../hooks/useRequest'

const KEYS = Object.keys(TEMPLATE_LABELS) as TemplateKey[]

/**
 * Who can still get a WeChat reminder, per kind. Those with none left get
 * reminders in the app only: the secretary sees who to tell in person.
 * Folded by default: the list is a check, not the page's purpose.
 */
export default function BudgetTable({ branchId, round }: { branchId: string; round: number }) {
  const [open, setOpen] = useState(false)
  const req = useRequest(open ? `remind-budget:${branchId}:${round}` : null, () => budget(branchId))
  const rows = req.data?.rows ?? []
  const none = rows.filter((r) => KEYS.every((k) => (r.templates[k] ?? 0) === 0))
  return (
    <View className='rlog-budget'>
      <Button className='rlog-budget-toggle' onClick={() => setOpen(!open)}>
        {open ? '收起微信提醒余量' : '查看谁还能收到微信提醒'}
      </Button>
      {open ? <StatusBlock loading={req.loading && !req.data} error={req.error} onRetry={req.retry} /> : null}
      {open && req.data ? (
        <View className='rlog-budget-body' data-none={none.length}>
          <Text className='rlog-budget-summary'>
            {none.length === 0 ? '每位同志都还有微信提醒次数。' : `${none.length} 人没有微信提醒次数，只能在应用内收到：${none.map((r) => r.name).join('、')}`}
          </Text>
          <View className='rlog-table'>
            <View className='rlog-row rlog-row--head'>
              <Text className='rlog-cell rlog-name'>姓名</Text>
              <Text className='rlog-cell rlog-budget-left'>还能收到</Text>
            </View>
            {rows.map((r) => {
              const parts = KEYS.filter((k) => (r.templates[k] ?? 0) > 0).map((k) => `${TEMPLATE_LABELS[k]} ${r.templates[k]} 次`)
              return (
                <View key={r.memberId} className='rlog-row rlog-budget-row' data-member-id={r.memberId}>
                  <Text className='rlog-cell rlog-name'>{r.name}</Text>
                  <Text className='rlog-cell rlog-budget-left'>{parts.length > 0 ? parts.join('，') : '没有了'}</Text>
                </View>
              )
            })}
          </View>
        </View>
      ) : null}
    </View>
  )
}
