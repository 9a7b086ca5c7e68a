import { Text, View } from '@tarojs/components'
import type { CheckinFeedback } from '../../hooks/useCheckIn'
import { momentText, pendingScanText } from '../format'
import SubscribeAsk from '../SubscribeAsk'
import './index.scss'

/** What to do next, per refusal, in a sentence a member can act on. */
const ADVICE: Record<string, string> = {
  QR_EXPIRED: '二维码每 30 秒会换一次，请扫描大屏上正在显示的二维码。转发的截图不能用来签到。',
  CHECKIN_CLOSED: '请在签到时间内再来签到。如果确有原因没能签到，可以联系支部书记。',
  OUT_OF_RANGE: '请到会场后再签到。如果您已经在会场，请打开手机定位后再试，或请书记为您代签。',
  FORBIDDEN: '这次活动的应到名单里没有您。如果您应该参加，请联系支部书记。',
  NOT_FOUND: '没有找到这场活动，可能已经取消。请向支部书记确认。',
  NOT_A_CODE: '签到码在大屏二维码的下方，是以 ci. 开头的一串字母和数字。'
}

export default function CheckinResult({ feedback }: { feedback: CheckinFeedback | null }) {
  if (!feedback) return null
  if (feedback.kind === 'busy') {
    return (
      <View className='checkin-result checkin-busy'>
        <Text className='checkin-result-title'>{feedback.text}</Text>
      </View>
    )
  }
  if (feedback.kind === 'queued') {
    return (
      <View className='checkin-result checkin-queued' data-session-id={feedback.sessionId}>
        <Text className='checkin-result-title'>签到已保存在手机上</Text>
        <Text className='checkin-result-text'>网络不好，签到已保存在手机上，联网后会自动提交。</Text>
        {feedback.title ? <Text className='checkin-result-sub'>{feedback.title}</Text> : null}
        <Text className='checkin-result-sub'>签到按您扫码的时间计算，晚一点提交不会算迟到；如果提交时大屏上的二维码已经换过，需支部确认后计入。</Text>
      </View>
    )
  }
  if (feedback.kind === 'pending') {
    return (
      <View className='checkin-result checkin-result-pending' data-session-id={feedback.sessionId} data-at={feedback.at}>
        <Text className='checkin-result-title'>扫码已记录，等待支部确认</Text>
        {feedback.title ? <Text className='checkin-result-sub'>{feedback.title}</Text> : null}
        <Text className='checkin-result-text'>{pendingScanText(feedback.at)}</Text>
        <Text className='checkin-result-sub'>不用再扫，确认后按您扫码的时间计入。</Text>
      </View>
    )
  }
  if (feedback.kind === 'ok') {
    const late = feedback.status === 'late'
    return (
      <View
        className={`checkin-result checkin-result-ok${late ? ' checkin-result-late' : ''}`}
        data-session-id={feedback.sessionId}
        data-status={feedback.status}
        data-duplicate={feedback.duplicate ? 'true' : 'false'}
      >
        <Text className='checkin-result-title'>{feedback.duplicate ? '您已经签到过了' : '签到成功'}</Text>
        {feedback.title ? <Text className='checkin-result-sub'>{feedback.title}</Text> : null}
        <Text className='checkin-result-text'>签到时间：{momentText(feedback.at)}</Text>
        {late ? (
          <Text className='checkin-result-text checkin-result-late-note'>
            这次比规定时间晚到了一些，已记为“迟到”。不要紧，下次早点出发就好。
          </Text>
        ) : null}
        {feedback.duplicate ? <Text className='checkin-result-sub'>不用再签，之前的签到记录有效。</Text> : null}
        {/* Just after a check-in the next session is on the member's mind: a good moment to ask, never a condition. */}
        <SubscribeAsk moment templates={['session_tomorrow', 'session_soon', 'makeup_due']} className='checkin-subscribe' />
      </View>
    )
  }
  const advice = feedback.advice ?? ADVICE[feedback.code]
  const showDistance = feedback.distanceM !== undefined && !feedback.message.includes('米')
  return (
    // The reason code is for tests and support (data-code), never shown: the member reads the message and advice.
    <View className='checkin-result checkin-result-error' data-code={feedback.code} data-session-id={feedback.sessionId ?? ''}>
      <Text className='checkin-result-title'>没有签到成功</Text>
      {feedback.title ? <Text className='checkin-result-sub'>{feedback.title}</Text> : null}
      <Text className='checkin-result-text checkin-result-message'>
        {feedback.message}
        {showDistance ? `（您离会场约 ${feedback.distanceM} 米）` : ''}
      </Text>
      {advice ? <Text className='checkin-result-sub'>{advice}</Text> : null}
    </View>
  )
}
