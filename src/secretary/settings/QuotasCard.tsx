import { useEffect, useState } from 'react'
import { Input, Text, View } from '@tarojs/components'
import type { Quotas } from '../../api/settings'
import type { Action } from '../../hooks/useAction'
import { Field } from '../schedule/fields'
import { Card, int } from './parts'

type Draft = { staffWords: string; deputyWords: string; essays: string; retiredWords: string; retiredEssays: string }

const draftOf = (q: Quotas): Draft => ({
  staffWords: String(q.staffWords),
  deputyWords: String(q.deputyWords),
  essays: String(q.essays),
  retiredWords: String(q.retired.words),
  retiredEssays: String(q.retired.essays)
})

/**
 * 笔记定额 by category: 在职 by rank, as the rule quotes it, and 离退休 apart
 * (a lower default: the rule is written for 工作人员 and 干部 in post; the
 * schema says why). The page says both, so nobody wonders why a retired
 * comrade's figure differs.
 */
export default function QuotasCard({ stored, act, saved, onSave, onInvalid }: {
  stored: Quotas
  act: Action
  saved: boolean
  onSave: (q: Quotas) => void
  onInvalid: (message: string) => void
}) {
  const [d, setD] = useState<Draft>(() => draftOf(stored))
  useEffect(() => setD(draftOf(stored)), [stored])
  const input = (key: keyof Draft, className: string) => (
    <Input className={`form-input ${className}`} type='number' value={d[key]} onInput={(e) => setD({ ...d, [key]: e.detail.value })} />
  )
  const save = () => {
    const words = [int(d.staffWords, 0, 200000), int(d.deputyWords, 0, 200000), int(d.retiredWords, 0, 200000)]
    const essays = [int(d.essays, 0, 50), int(d.retiredEssays, 0, 50)]
    if (words.some((w) => w === null)) return onInvalid('字数请填 0 到 200000 之间的整数')
    if (essays.some((e) => e === null)) return onInvalid('心得体会篇数请填 0 到 50 之间的整数')
    const [staffWords, deputyWords, retiredWords] = words as number[]
    const [essayCount, retiredEssays] = essays as number[]
    onSave({ staffWords, deputyWords, essays: essayCount, retired: { words: retiredWords, essays: retiredEssays } })
  }
  return (
    <Card title='笔记定额' className='st-quotas' act={act} saved={saved} onSave={save}
      hint='“每个工作人员全年笔记不少于1万字，副科级以上干部不少于1.5万字，同时撰写心得体会4篇以上。”这是对在职同志的要求。'>
      <View className='st-quota-group st-quota-serving'>
        <Text className='st-quota-group-title'>在职党员</Text>
        <Field label='一般工作人员全年字数'>{input('staffWords', 'st-staff-words')}</Field>
        <Field label='副科级以上干部全年字数'>{input('deputyWords', 'st-deputy-words')}</Field>
        <Field label='心得体会篇数'>{input('essays', 'st-essays')}</Field>
      </View>
      <View className='st-quota-group st-quota-retired'>
        <Text className='st-quota-group-title'>离退休党员</Text>
        <Text className='form-hint st-quota-retired-hint'>
          离退休同志不在岗位上，不参加年终考核，但仍和支部一起学习。默认要求减半：全年 5000 字（每周约 100 字）、心得体会 2 篇，不分原来的职级。填 0 表示不要求。
        </Text>
        <Field label='全年字数'>{input('retiredWords', 'st-retired-words')}</Field>
        <Field label='心得体会篇数'>{input('retiredEssays', 'st-retired-essays')}</Field>
      </View>
    </Card>
  )
}
