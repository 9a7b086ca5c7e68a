import { useState } from 'react'
import { Input, Text, View } from '@tarojs/components'
import type { Quotas } from '../../api/settings'
import { Field } from '../schedule/fields'
import { Card, FieldError, int, useDraft, type GroupProps, type Invalid } from './parts'

type Draft = { staffWords: string; deputyWords: string; essays: string; retiredWords: string; retiredEssays: string; essayMinWords: string; essayCap: string }

const draftOf = (q: Quotas, essayMinWords: number, essayCap: number): Draft => ({
  staffWords: String(q.staffWords),
  deputyWords: String(q.deputyWords),
  essays: String(q.essays),
  retiredWords: String(q.retired.words),
  retiredEssays: String(q.retired.essays),
  essayMinWords: String(essayMinWords),
  essayCap: String(essayCap)
})

/**
 * 笔记定额 by category: 在职 by rank, as the rule quotes it, and 离退休 apart
 * (a lower default: the rule is written for 工作人员 and 干部 in post; the
 * schema says why). The page says both, so nobody wonders why a retired
 * comrade's figure differs. With them the length a 心得体会 needs to count
 * toward the essays (essayMinWords, notes/essay.ts), saved together: it
 * decides what the essay figures above mean; and how many a quarter earn
 * points (essayPointsQuarterlyCap), next to it since it is about the same
 * 心得 (the points for one are set on the rules card).
 */
export default function QuotasCard({ stored, essayMinWords, essayCap, act, savedAt, scope, onSave }: GroupProps & {
  stored: Quotas
  essayMinWords: number
  essayCap: number
  onSave: (q: Quotas, essayMinWords: number, essayCap: number) => void
}) {
  const [d, setD] = useDraft<Draft>(() => draftOf(stored, essayMinWords, essayCap), [stored, essayMinWords, essayCap], scope)
  const [invalid, setInvalid] = useState<Invalid>(null)
  const input = (key: keyof Draft, className: string) => (
    <>
      <Input className={`form-input ${className}`} type='number' value={d[key]} onInput={(e) => setD({ ...d, [key]: e.detail.value })} />
      <FieldError at={key} invalid={invalid} />
    </>
  )
  const save = () => {
    // The first field out of range, top to bottom, is the one named.
    const checks: [keyof Draft, number, number, string][] = [
      ['staffWords', 0, 200000, '字数请填 0 到 200000 之间的整数'],
      ['deputyWords', 0, 200000, '字数请填 0 到 200000 之间的整数'],
      ['essays', 0, 50, '心得体会篇数请填 0 到 50 之间的整数'],
      ['retiredWords', 0, 200000, '字数请填 0 到 200000 之间的整数'],
      ['retiredEssays', 0, 50, '心得体会篇数请填 0 到 50 之间的整数'],
      ['essayMinWords', 0, 5000, '心得体会最少字数请填 0 到 5000 之间的整数'],
      ['essayCap', 0, 20, '每季度计分的心得体会篇数请填 0 到 20 之间的整数']
    ]
    const bad = checks.find(([key, min, max]) => int(d[key], min, max) === null)
    setInvalid(bad ? { at: bad[0], message: bad[3] } : null)
    if (bad) return
    const n = (key: keyof Draft) => Number(d[key])
    onSave({ staffWords: n('staffWords'), deputyWords: n('deputyWords'), essays: n('essays'), retired: { words: n('retiredWords'), essays: n('retiredEssays') } }, n('essayMinWords'), n('essayCap'))
  }
  return (
    <Card title='笔记定额' className='st-quotas' act={act} savedAt={savedAt} onSave={save}
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
      <Field label='心得体会最少字数' hint='一篇心得体会的计入字数（与他人或自己以前笔记重复的段落不算）满这个数，才计入心得篇数、得积分。默认 300 字；填 0 表示不限字数。'>
        {input('essayMinWords', 'st-essay-min-words')}
      </Field>
      <Field label='每季度最多几篇心得体会得积分' hint='每季度最先写的这几篇心得体会得积分，再多写的照样计入篇数，只是不再加分；默认 2 篇（全年要求 4 篇）。'>
        {input('essayCap', 'st-essay-cap')}
      </Field>
    </Card>
  )
}
