import { useState } from 'react'
import { Input, Picker, Text, View } from '@tarojs/components'
import type { PointsRule } from '../../api/settings'
import { formatShanghai } from '../../core/period'
import { changeRuleValue, latestRule, planRuleChanges, renameRule, ruleInForce } from '../../core/stats/rule-changes'
import { dateValue, shanghaiEpoch } from '../lib/time'
import { Field, SwitchRow } from '../schedule/fields'
import { Card, FieldError, Stepper, useDraft, type GroupProps, type Invalid } from './parts'

type RuleDraft = { label: string; points: number; date: string }
export interface PointsValues {
  showPointsToMembers: boolean
  pointsRules: PointsRule[]
  notePointsMonthlyCap: number
}
type Draft = { show: boolean; rules: Record<string, RuleDraft>; cap: number }

function draftOf(v: PointsValues): Draft {
  const now = Date.now()
  const rules: Record<string, RuleDraft> = {}
  for (const r of v.pointsRules) {
    if (rules[r.rule]) continue
    const shown = ruleInForce(v.pointsRules, r.rule, now) ?? latestRule(v.pointsRules, r.rule) ?? r
    rules[r.rule] = { label: latestRule(v.pointsRules, r.rule)?.label ?? r.label, points: shown.points, date: dateValue(now) }
  }
  return { show: v.showPointsToMembers, rules, cap: v.notePointsMonthlyCap }
}

/**
 * 积分: whether members see their points, what each step earns (a new value
 * from a chosen day, so points already earned never change), and the
 * monthly cap on note points. One group, one 保存.
 */
export default function PointsCard({ stored, act, savedAt, scope, onSave }: GroupProps & { stored: PointsValues; onSave: (v: PointsValues) => void }) {
  const [d, setD] = useDraft(() => draftOf(stored), stored, scope)
  const [invalid, setInvalid] = useState<Invalid>(null)
  const now = Date.now()
  const today = dateValue(now)

  const save = () => {
    let next = stored.pointsRules
    for (const [key, r] of Object.entries(d.rules)) {
      const label = r.label.trim()
      if (!label || label.length > 30) return setInvalid({ at: `label:${key}`, message: '规则名称请填 1 到 30 个字' })
      if (label !== latestRule(next, key)?.label) next = renameRule(next, key, label)
      const inForce = ruleInForce(stored.pointsRules, key, now) ?? latestRule(stored.pointsRules, key)
      if (inForce && r.points !== inForce.points) next = changeRuleValue(next, key, r.points, shanghaiEpoch(r.date))
    }
    const plan = planRuleChanges(stored.pointsRules, next, now)
    if (!plan.ok) return setInvalid({ at: 'rules', message: plan.message })
    setInvalid(null)
    onSave({ showPointsToMembers: d.show, pointsRules: plan.rules, notePointsMonthlyCap: d.cap })
  }

  return (
    <Card title='积分' className='st-points' act={act} savedAt={savedAt} onSave={save}>
      <SwitchRow className='st-show-points-switch' label='向党员显示积分' hint='关闭后，党员看不到自己的积分，书记和管理员仍可查看。' checked={d.show} onChange={(show) => setD({ ...d, show })} />
      <View className='st-rules'>
        <Text className='st-group-subtitle'>积分规则</Text>
        <Text className='form-hint'>改分值时要选一个生效日期：新分值从那天起计算，之前已经得到的积分不会改变。</Text>
        {Object.entries(d.rules).map(([key, r]) => {
          const active = ruleInForce(stored.pointsRules, key, now)
          const inForce = active ?? latestRule(stored.pointsRules, key)
          const changed = !!inForce && r.points !== inForce.points
          const upcoming = stored.pointsRules.filter((x) => x.rule === key && x.from > now)
          const set = (patch: Partial<RuleDraft>) => setD({ ...d, rules: { ...d.rules, [key]: { ...r, ...patch } } })
          return (
            <View key={key} className={`st-rule st-rule-${key}`} data-rule={key}>
              <Input className='form-input st-rule-label' value={r.label} maxlength={30} onInput={(e) => set({ label: e.detail.value })} />
              <FieldError at={`label:${key}`} invalid={invalid} />
              <View className='st-rule-row'>
                <Text className='st-rule-now'>{active ? `现在 ${active.points} 分` : upcoming.length > 0 ? '尚未生效' : '已停用'}</Text>
                <Stepper className='st-rule-points' value={r.points} min={-100} max={100} onChange={(points) => set({ points })} />
              </View>
              {upcoming.map((x) => (
                <Text key={x.from} className='form-hint st-rule-upcoming'>{`已定：${formatShanghai(x.from, 'YYYY年M月D日')}起 ${x.points} 分`}</Text>
              ))}
              {changed ? (
                <Field label='从哪天起按新分值计算' hint={`从这天起按 ${r.points} 分计算；在这之前已经得到的积分不会改变。`}>
                  <Picker mode='date' value={r.date} start={today} onChange={(e) => set({ date: String(e.detail.value) })}>
                    <View className='form-picker st-rule-date' data-value={r.date}>{r.date === today ? `${r.date}（今天）` : r.date}</View>
                  </Picker>
                </Field>
              ) : null}
            </View>
          )
        })}
        <FieldError at='rules' invalid={invalid} />
      </View>
      <Field label='笔记积分每月最多几分' hint='每月按笔记字数最多得这么多分，平时坚持写的，比年底突击补写的更划算。'>
        <Stepper className='st-note-cap' value={d.cap} min={0} max={100} onChange={(cap) => setD({ ...d, cap })} />
      </Field>
    </Card>
  )
}
