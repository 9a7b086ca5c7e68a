import { useEffect, useState, type Dispatch, type ReactNode, type SetStateAction } from 'react'
import { Button, Text, View } from '@tarojs/components'
import { formatShanghai } from '../../core/period'
import type { Action } from '../../hooks/useAction'

/** A whole number typed in a field, within [min, max], or null. */
export const int = (s: string, min: number, max: number): number | null => (/^\d+$/.test(s.trim()) && +s >= min && +s <= max ? +s : null)

/** Which field a group refused, and why: shown under that field, not at the foot of the group. */
export type Invalid = { at: string; message: string } | null

export function FieldError({ at, invalid }: { at: string; invalid: Invalid }) {
  return invalid?.at === at ? <Text className='form-error st-error' data-at={at}>{invalid.message}</Text> : null
}

/**
 * A group's draft, reset from what is stored only when that group's stored
 * values change (or another org is picked): saving one group re-reads the
 * settings, and must not throw away what was typed in the others.
 */
export function useDraft<T>(make: () => T, stored: unknown, scope: string): [T, Dispatch<SetStateAction<T>>] {
  const [draft, setDraft] = useState(make)
  const sig = `${scope}|${JSON.stringify(stored)}`
  useEffect(() => setDraft(make()), [sig])
  return [draft, setDraft]
}

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

export interface GroupProps {
  act: Action
  /** When this group was last saved on this page, or null. */
  savedAt: number | null
  scope: string
}

/** One group of settings with its one 保存, which sends only this group's fields. */
export function Card({ title, hint, act, savedAt, onSave, className, children }: { title: string; hint?: string; act: Action; savedAt: number | null; onSave: () => void; className: string; children: ReactNode }) {
  return (
    <View className={`st-card ${className}`}>
      <Text className='st-card-title'>{title}</Text>
      {hint ? <Text className='form-hint'>{hint}</Text> : null}
      {children}
      {act.message ? <Text className='form-error st-error st-save-error'>{act.message}</Text> : null}
      {savedAt !== null && !act.message && !act.busy ? <Text className='st-saved'>已保存（<Text className='num'>{formatShanghai(savedAt, 'HH:mm')}</Text>）</Text> : null}
      <Button className='st-save' loading={act.busy || undefined} disabled={act.busy || undefined} onClick={onSave}>保存{title}</Button>
    </View>
  )
}
