import type { RemindResult } from '../../api/remind'
import { DEFAULT_REMIND_LIMITS } from '../../core/remind/limits'

/**
 * The one sentence the secretary reads after 发送: who has it now, who gets
 * it in the morning, who was spared, and how many were reached on WeChat.
 * Every clause says what happened to people, never an error code.
 */
export function resultSentences(r: RemindResult, limits = DEFAULT_REMIND_LIMITS): string[] {
  if (r.recipients === 0) return ['没有需要提醒的人，这条提醒没有发出。']
  const lines: string[] = []
  const parts: string[] = []
  if (r.delivered > 0) parts.push(`已送达 ${r.delivered} 人`)
  if (r.held > 0) parts.push(`${r.held} 人在夜间免打扰时段，将于早上 ${limits.quietEndHour} 点送达`)
  if (r.rateLimited > 0) parts.push(`${r.rateLimited} 人今天已收到 ${limits.maxPerDay} 条提醒，未再发送`)
  const wechat: string[] = []
  if (r.wechatSent > 0) wechat.push(`微信消息已发 ${r.wechatSent} 人`)
  if (r.noBudget > 0) wechat.push(`${r.noBudget} 人的微信提醒次数已用完，只在应用内收到`)
  if (r.wechatFailed > 0) wechat.push(`${r.wechatFailed} 人的微信消息没有发出，只在应用内收到`)
  if (wechat.length > 0) parts.push(wechat.join('，'))
  lines.push(parts.join('；') + '。')
  if (r.duplicate) lines.unshift('这条提醒刚才已经发过了，没有重复发送。以下是那一次的情况：')
  return lines
}
