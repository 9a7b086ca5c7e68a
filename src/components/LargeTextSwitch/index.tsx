import { useRef, useState } from 'react'
import { Switch, Text, View } from '@tarojs/components'
import { setLargeText } from '../../api/auth'
import { announceLargeText, useLargeText } from '../../hooks/useLargeText'
import './index.scss'

const IS_H5 = process.env.TARO_ENV === 'h5'
export const LARGE_TEXT_LABEL = '长辈模式：字更大、按钮更大、首页更简单'

/**
 * 我的 → 长辈模式: one big labelled switch; the whole row (text included) is
 * the tap target. The Switch only shows the state (taps pass through it to the
 * row, so one tap is one change); it is still the labelled control a screen
 * reader or, on H5, the keyboard uses. The change shows at once on every open page and is kept on
 * the server (the member's record) and in the cached `me`, so it survives a
 * closed app and follows the member to another phone. A failed save puts the
 * switch back and says so.
 */
export default function LargeTextSwitch() {
  const { large } = useLargeText()
  const [busy, setBusy] = useState(false)
  const [message, setMessage] = useState('')
  const seq = useRef(0)
  // The value just asked for, ahead of the re-render: a keyboard press on the switch
  // reaches both its change and the row's tap, and must count once.
  const wanted = useRef(large)
  wanted.current = busy ? wanted.current : large

  const onChange = (on: boolean) => {
    if (on === wanted.current) return
    wanted.current = on
    const mine = ++seq.current
    setMessage('')
    setBusy(true)
    announceLargeText(on)
    setLargeText(on)
      .then((me) => {
        if (mine === seq.current) announceLargeText(me.member.largeText)
      })
      .catch(() => {
        if (mine !== seq.current) return
        wanted.current = !on
        announceLargeText(!on)
        setMessage(on ? '没有开启成功，请检查网络后再试一次' : '没有关闭成功，请检查网络后再试一次')
      })
      .finally(() => {
        if (mine === seq.current) setBusy(false)
      })
  }

  return (
    <View className={`lt-switch${large ? ' lt-switch--on' : ''}`} data-on={String(large)}>
      <View className='lt-switch-row' hoverClass='lt-switch-row--pressed' onClick={() => onChange(!wanted.current)}>
        <View className='lt-switch-text'>
          <Text className='lt-switch-title'>长辈模式</Text>
          <Text className='lt-switch-hint'>字更大、按钮更大、首页更简单</Text>
          <Text className='lt-switch-state'>{busy ? '正在保存…' : large ? '已开启，再点一下关闭' : '已关闭，点一下开启'}</Text>
        </View>
        <Switch
          className='lt-switch-control'
          checked={large}
          color='#c8102e'
          ariaLabel={LARGE_TEXT_LABEL}
          nativeProps={IS_H5 ? { 'aria-label': LARGE_TEXT_LABEL } : undefined}
          onChange={(e) => onChange(e.detail.value)}
        />
      </View>
      {message ? <Text className='lt-switch-error'>{message}</Text> : null}
    </View>
  )
}
