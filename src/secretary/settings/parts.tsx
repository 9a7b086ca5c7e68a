import type { ReactNode } from 'react'
import { Button, Text, View } from '@tarojs/components'
import type { Action } from '../../hooks/useAction'

/** A whole number typed in a field, within [min, max], or null. */
export const int = (s: string, min: number, max: number): number | null => (/^\d+$/.test(s.trim()) && +s >= min && +s <= max ? +s : null)

// `disabled={false}` still renders the attribute on H5 and greys the button: pass undefined instead.
export function Stepper({ value, min, max, onChange, className }: { value: number; min: number; max: number; onChange: (v: number) => void; className: string }) {
  return (
    <View className={`st-stepper ${className}`} data-value={value}>
      <Button className='st-step' disabled={value <= min || undefined} onClick={() => onChange(Math.max(min, value - 1))}>−</Button>
      <Text className='st-step-value'>{value}</Text>
      <Button className='st-step' disabled={value >= max || undefined} onClick={() => onChange(Math.min(max, value + 1))}>＋</Button>
    </View>
  )
}

export function Card({ title, hint, act, saved, onSave, className, children }: { title: string; hint?: string; act: Action; saved: boolean; onSave: () => void; className: string; children: ReactNode }) {
  return (
    <View className={`st-card ${className}`}>
      <Text className='st-card-title'>{title}</Text>
      {hint ? <Text className='form-hint'>{hint}</Text> : null}
      {children}
      {act.message ? <Text className='form-error st-error'>{act.message}</Text> : null}
      {saved && !act.message ? <Text className='st-saved'>已保存</Text> : null}
      <Button className='st-save' loading={act.busy || undefined} disabled={act.busy || undefined} onClick={onSave}>保存{title}</Button>
    </View>
  )
}

