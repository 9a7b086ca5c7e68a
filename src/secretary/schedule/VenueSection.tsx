import { Button, Input, Text, View } from '@tarojs/components'
import { getSettings } from '../../api/settings'
import { useMe } from '../../hooks/useMe'
import { useRequest } from '../../hooks/useRequest'
import { Field, SwitchRow } from './fields'
import type { ScheduleForm } from './useScheduleForm'

const IS_H5 = process.env.TARO_ENV === 'h5'

/**
 * Where, and whether check-in must happen near it. On weapp the venue is
 * picked on the map; H5 has no map picker, so it takes coordinates as text.
 */
export default function VenueSection({ form }: { form: ScheduleForm }) {
  const { f, set, pickPlace } = form
  const { me } = useMe()
  const branchId = me?.member.branchId
  // The organisation decides whether location is checked at all; a fence set here waits for that switch.
  const settings = useRequest(branchId ? `settings:${branchId}` : null, () => getSettings(branchId as string))
  const checked = settings.data?.settings.requireLocation
  return (
    <>
      <Field label='活动地点'>
        <Input
          className='form-input schedule-venue-input'
          value={f.venueName}
          maxlength={60}
          placeholder='例如：三楼党员活动室'
          onInput={(e) => set('venueName', e.detail.value)}
        />
      </Field>

      <SwitchRow
        label='只允许在会场附近签到'
        hint={
          checked === false
            ? '本组织目前不核对签到位置（党委在“规则与定额”中设置），这里设的范围会先保存，开启核对后才生效。'
            : '打开后，党员签到时会确认是否在会场范围内。'
        }
        className='schedule-fence-switch'
        checked={f.useFence}
        onChange={(on) => set('useFence', on)}
      />
      {f.useFence ? (
        <View className='form-fence'>
          {IS_H5 ? (
            <View className='form-row'>
              <Field label='纬度'>
                <Input className='form-input schedule-lat-input' type='digit' value={f.lat} placeholder='39.9087' onInput={(e) => set('lat', e.detail.value)} />
              </Field>
              <Field label='经度'>
                <Input className='form-input schedule-lng-input' type='digit' value={f.lng} placeholder='116.3975' onInput={(e) => set('lng', e.detail.value)} />
              </Field>
            </View>
          ) : (
            <View className='form-field'>
              <Button className='form-button-plain schedule-pick-place' onClick={pickPlace}>
                {f.lat ? '重新在地图上选会场' : '在地图上选会场位置'}
              </Button>
              {f.lat ? (
                <Text className='form-hint'>
                  已选位置：{Number(f.lat).toFixed(5)}，{Number(f.lng).toFixed(5)}
                </Text>
              ) : null}
            </View>
          )}
          <Field label='签到范围（米）' hint='默认 200 米，大楼里 GPS 不准时可以放宽。'>
            <Input className='form-input schedule-radius-input' type='number' value={f.radius} onInput={(e) => set('radius', e.detail.value)} />
          </Field>
        </View>
      ) : null}
    </>
  )
}
