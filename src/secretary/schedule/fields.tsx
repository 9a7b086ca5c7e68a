/** The small pieces the schedule form is built of; the look is in src/styles/form.scss. */
import type { ReactNode } from 'react'
import { Switch, Text, View } from '@tarojs/components'

export function Field({ label, children, hint }: { label: string; children: ReactNode; hint?: string }) {
  return (
    <View className='form-field'>
      <Text className='form-label'>{label}</Text>
      {children}
      {hint ? <Text className='form-hint'>{hint}</Text> : null}
    </View>
  )
}

/** One choice out of a few, all visible: easier than a picker for two to four options. */
export function Chips<T extends string>({ options, value, onChange, className }: { options: { value: T; label: string }[]; value: T; onChange: (v: T) => void; className: string }) {
  return (
    <View className={`form-chips ${className}`}>
      {options.map((o) => (
        <Text
          key={o.value}
          className={`form-chip${o.value === value ? ' form-chip--on' : ''}`}
          data-value={o.value}
          onClick={() => onChange(o.value)}
        >
          {o.label}
        </Text>
      ))}
    </View>
  )
}

/** A yes/no setting with a line saying what it does. */
export function SwitchRow({ label, hint, className, checked, onChange }: { label: string; hint: string; className: string; checked: boolean; onChange: (on: boolean) => void }) {
  return (
    <View className='form-switch-row'>
      <View className='form-switch-text'>
        <Text className='form-label'>{label}</Text>
        <Text className='form-hint'>{hint}</Text>
      </View>
      <Switch className={className} checked={checked} color='#c8102e' onChange={(e) => onChange(e.detail.value)} />
    </View>
  )
}
