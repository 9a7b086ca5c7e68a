import { useState } from 'react'
import { Input } from '@tarojs/components'
import type { WarningThresholds } from '../../api/settings'
import { Field, SwitchRow } from '../schedule/fields'
import { Card, FieldError, int, Stepper, useDraft, type GroupProps, type Invalid } from './parts'

type Draft = Omit<WarningThresholds, 'yellowPace' | 'redPace'> & { yellowPace: string; redPace: string }

/** 预警: the thresholds of the yellow and red warnings, and the early alert before six months without organisational life. */
export default function WarningsCard({ stored, act, savedAt, scope, onSave }: GroupProps & { stored: WarningThresholds; onSave: (w: WarningThresholds) => void }) {
  const [w, setW] = useDraft<Draft>(() => ({ ...stored, yellowPace: String(Math.round(stored.yellowPace * 100)), redPace: String(Math.round(stored.redPace * 100)) }), stored, scope)
  const [invalid, setInvalid] = useState<Invalid>(null)
  const save = () => {
    const yellowPace = int(w.yellowPace, 0, 100)
    const redPace = int(w.redPace, 0, 100)
    const bad: Invalid =
      yellowPace === null ? { at: 'yellowPace', message: '进度比例请填 0 到 100 之间的整数' }
      : redPace === null ? { at: 'redPace', message: '进度比例请填 0 到 100 之间的整数' }
      : w.redAbsences <= w.yellowAbsences ? { at: 'redAbsences', message: '红色预警需要的缺席次数要比黄色预警多' }
      : redPace >= yellowPace ? { at: 'redPace', message: '红色预警的进度比例要低于黄色预警' }
      : null
    setInvalid(bad)
    if (bad) return
    const { yellowAbsences, redAbsences, yellowPointsBelow, alertMonthsAbsent } = w
    onSave({ yellowAbsences, redAbsences, yellowPointsBelow, alertMonthsAbsent, yellowPace: (yellowPace as number) / 100, redPace: (redPace as number) / 100 })
  }
  return (
    <Card title='预警' className='st-warnings' act={act} savedAt={savedAt} onSave={save}
      hint='每季度按这些标准提示黄色、红色预警，帮助书记及早谈心提醒。'>
      <Field label='一个季度无故缺席几次：黄色预警'>
        <Stepper className='st-yellow-absences' value={w.yellowAbsences} min={1} max={20} onChange={(v) => setW({ ...w, yellowAbsences: v })} />
      </Field>
      <Field label='一个季度无故缺席几次：红色预警'>
        <Stepper className='st-red-absences' value={w.redAbsences} min={1} max={20} onChange={(v) => setW({ ...w, redAbsences: v })} />
        <FieldError at='redAbsences' invalid={invalid} />
      </Field>
      <SwitchRow className='st-points-warning' label='按季度积分预警' hint='季度积分低于下面的分数时提示黄色预警。' checked={w.yellowPointsBelow !== null}
        onChange={(on) => setW({ ...w, yellowPointsBelow: on ? 0 : null })} />
      {w.yellowPointsBelow !== null ? (
        <Stepper className='st-yellow-points' value={w.yellowPointsBelow} min={-100} max={100} onChange={(v) => setW({ ...w, yellowPointsBelow: v })} />
      ) : null}
      <Field label='笔记进度低于应有进度的百分之几：提示“进度偏慢”'>
        <Input className='form-input st-yellow-pace' type='number' value={w.yellowPace} onInput={(e) => setW({ ...w, yellowPace: e.detail.value })} />
        <FieldError at='yellowPace' invalid={invalid} />
      </Field>
      <Field label='笔记进度低于百分之几：红色预警（第四季度）'>
        <Input className='form-input st-red-pace' type='number' value={w.redPace} onInput={(e) => setW({ ...w, redPace: e.detail.value })} />
        <FieldError at='redPace' invalid={invalid} />
      </Field>
      <Field label='连续几个月没有参加组织生活就提醒书记' hint='党章规定连续六个月不参加组织生活视为自行脱党，提前提醒，留出谈心的时间。'>
        <Stepper className='st-alert-months' value={w.alertMonthsAbsent} min={1} max={5} onChange={(v) => setW({ ...w, alertMonthsAbsent: v })} />
      </Field>
    </Card>
  )
}
