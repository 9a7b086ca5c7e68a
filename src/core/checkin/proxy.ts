/**
 * 代签: an officer checks in a member who cannot tap (no phone, 行动不便).
 * It stands for "they were in the room", so it is taken while the check-in
 * window is open or later that same day (Asia/Shanghai), when the paper list
 * is typed in after the meeting. Weeks later it would be a reconstruction:
 * a missed session is then a 补学, or leave the officer records
 * (late-records.ts); a meeting held without the app is 补录 as a whole.
 * Never for oneself: another officer or the level above signs an officer in.
 */
import { formatShanghai, shanghaiDayStart } from '../period'
import type { Session } from '../schemas/session'

type ProxySession = Pick<Session, 'endAt' | 'checkin'>

/** The instant the session is over for check-in: its end or the window's close, whichever is later. */
function overAt(s: ProxySession): number {
  return Math.max(s.endAt, s.checkin.closesAt)
}

/** The last instant a 代签 is still taken: the end of the Shanghai day the session was over on. */
export function proxyDeadline(s: ProxySession): number {
  return shanghaiDayStart(overAt(s) - 1) + 24 * 60 * 60 * 1000 - 1
}

/** Why a 代签 is no longer taken, or null while it is (the window's opening is judged apart). */
export function proxyLateRefusal(s: ProxySession, now: number): string | null {
  if (now <= proxyDeadline(s)) return null
  return `代签只能在签到时间内或活动当天办理（${formatShanghai(s.endAt, 'M月D日')}的活动已过）；没能参加的同志可以安排补学`
}

export const PROXY_SELF_REFUSAL = '不能为自己代签，请由其他支委或上级代签'
