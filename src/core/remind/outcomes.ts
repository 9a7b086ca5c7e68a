/**
 * What a member is told when something they asked for or owe is decided:
 * leave, a note's review, a make-up assigned or reviewed, a join confirmed,
 * an answer to their 意见建议, a 民主评议 opened or their outcome recorded. Pure: the texts (plain and kind, never a
 * reproach), the inbox kind, the key that makes a retried decision tell them
 * only once, and the WeChat subscribe-message data (thing.* ≤ 20 characters).
 */
import { formatShanghai } from '../period'
import type { ReminderKind } from '../vocab/reminder'
import { clipThing, wechatTime } from './templates'

/** The inbox body may carry a comment or a reply in full (reply ≤ 500, comment ≤ 200, plus the frame). */
export const OUTCOME_BODY_MAX = 1000

export type OutcomeEvent =
  | { kind: 'leave'; leaveId: string; status: 'approved' | 'refused'; sessionTitle: string; startAt?: number; note?: string; decidedAt: number }
  | { kind: 'note'; noteId: string; status: 'passed' | 'returned'; noteTitle: string; comment?: string; at: number }
  | { kind: 'makeup_assigned'; makeupId: string; sessionTitle: string; deadline: number }
  | { kind: 'makeup_reviewed'; makeupId: string; status: 'accepted' | 'returned'; sessionTitle: string; note?: string; at: number }
  | { kind: 'joined'; memberId: string; branchName: string }
  | { kind: 'feedback_reply'; feedbackId: string; question: string; reply: string; at: number }
  | { kind: 'review_opened'; reviewId: string; year: number; branchName: string }
  /** Deliberately without the grade: the text shows on a lock screen and in a WeChat push. `changed`: an outcome corrected. */
  | { kind: 'review_decided'; reviewId: string; memberId: string; year: number; at: number; changed?: boolean }

export interface OutcomeMessage {
  /** Idempotency key: the same decision (same fact, same outcome, same moment) gives the same key. */
  key: string
  kind: ReminderKind
  title: string
  body: string
  /** One line for the subscribe message's second field (≤ 20 characters). */
  short: string
  /** When it was decided, for the subscribe message's time field. */
  at?: number
}

function line(text: string | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim()
}

function quoted(title: string, fallback: string): string {
  const t = line(title)
  return t ? `「${t}」` : fallback
}

/** A text shown inside a sentence, cut so a long question does not drown the answer. */
function excerpt(text: string, max: number): string {
  const chars = Array.from(line(text))
  return chars.length <= max ? chars.join('') : chars.slice(0, max - 1).join('') + '…'
}

function cap(text: string): string {
  const chars = Array.from(text)
  return chars.length <= OUTCOME_BODY_MAX ? text : chars.slice(0, OUTCOME_BODY_MAX - 1).join('') + '…'
}

function when(at: number): string {
  return formatShanghai(at, 'M月D日 HH:mm')
}

export function outcomeMessage(e: OutcomeEvent): OutcomeMessage {
  switch (e.kind) {
    case 'leave': {
      const s = quoted(e.sessionTitle, '这次活动')
      const day = e.startAt !== undefined ? `（${when(e.startAt)}）` : ''
      const note = line(e.note)
      const approved = e.status === 'approved'
      return {
        key: `leave:${e.leaveId}:${e.status}:${e.decidedAt}`,
        kind: 'leave_decided',
        title: approved ? '请假已批准' : '请假没有批准',
        body: cap(
          approved
            ? `您${s}${day}的请假已批准，这次不计缺席。${note ? `\n书记留言：${note}` : ''}`
            : `您${s}${day}的请假没有批准${note ? `，原因：${note}` : ''}。如能到场，欢迎参加；有困难可以直接和书记说。`
        ),
        short: approved ? `${line(e.sessionTitle) || '活动'}请假已批准` : note || `${line(e.sessionTitle) || '活动'}请假未批准`,
        at: e.decidedAt
      }
    }
    case 'note': {
      const n = quoted(e.noteTitle, '您的笔记')
      const comment = line(e.comment)
      const passed = e.status === 'passed'
      return {
        key: `note:${e.noteId}:${e.status}:${e.at}`,
        kind: 'review',
        title: passed ? '笔记已审阅通过' : '笔记退回修改',
        body: cap(
          passed
            ? `${n}已审阅通过，谢谢您的认真学习。${comment ? `\n书记的话：${comment}` : ''}`
            : `${n}退回修改${comment ? `，书记的意见：${comment}` : ''}。改好后再保存一次就好。`
        ),
        short: passed ? '笔记已通过' : comment || '笔记需要修改',
        at: e.at
      }
    }
    case 'makeup_assigned': {
      const s = quoted(e.sessionTitle, '这次活动')
      return {
        key: `makeup:${e.makeupId}:assigned:${e.deadline}`,
        kind: 'makeup',
        title: '请完成补学',
        body: `您没能参加${s}，书记安排了补学，请在${when(e.deadline)}前提交学习心得。有困难可以直接和书记说。`,
        short: `${line(e.sessionTitle) || '活动'}补学`,
        at: e.deadline
      }
    }
    case 'makeup_reviewed': {
      const s = quoted(e.sessionTitle, '这次活动')
      const note = line(e.note)
      const accepted = e.status === 'accepted'
      return {
        key: `makeup:${e.makeupId}:${e.status}:${e.at}`,
        kind: 'makeup',
        title: accepted ? '补学已通过' : '补学退回修改',
        body: cap(
          accepted
            ? `您${s}的补学已通过，记为已补学。${note ? `\n书记留言：${note}` : ''}`
            : `您${s}的补学心得退回修改${note ? `，书记的意见：${note}` : ''}。改好后再提交一次就好。`
        ),
        short: accepted ? '补学已通过' : note || '补学需要修改',
        at: e.at
      }
    }
    case 'joined': {
      const b = line(e.branchName) || '支部'
      return {
        key: `joined:${e.memberId}`,
        kind: 'custom',
        title: '已加入支部',
        body: `${b}已确认您的加入申请，欢迎您！支部的活动和学习提醒都会出现在这里。`,
        short: `已加入${b}`
      }
    }
    case 'feedback_reply':
      return {
        key: `feedback:${e.feedbackId}:${e.at}`,
        kind: 'feedback',
        title: '您的意见建议有回复了',
        body: cap(`您提的意见建议：「${excerpt(e.question, 40)}」\n回复：${line(e.reply)}`),
        short: line(e.reply) || '意见建议有回复',
        at: e.at
      }
    case 'review_opened': {
      const b = line(e.branchName) || '支部'
      return {
        // From the review alone: a second open of the same year is refused, and a retry must not tell twice.
        key: `review:${e.reviewId}:opened`,
        kind: 'democratic_review',
        title: '民主评议开始了',
        body:
          `${b}开始了${e.year}年度民主评议党员。请在“我的 › 民主评议”里写一段自我评价，并对其他同志作出评定。` +
          '评定不记名：谁也看不到您给谁评了什么，书记、支委也看不到。',
        short: `${e.year}年度民主评议开始了`
      }
    }
    case 'review_decided':
      return {
        key: `review:${e.reviewId}:decided:${e.memberId}:${e.at}`,
        kind: 'democratic_review',
        title: e.changed ? '民主评议结果有更新' : '民主评议结果已记录',
        body: `支委会${e.changed ? '更新了' : '已记录'}您${e.year}年度民主评议的结果，请在“我的 › 民主评议”里查看。评议结果记入您的党员个人档案。`,
        short: `${e.year}年度评议结果${e.changed ? '有更新' : '已记录'}`,
        at: e.at
      }
  }
}

/**
 * The subscribe-message data for an outcome (the `outcome` template's layout:
 * thing1 = what happened, thing2 = the short line, time3 = when). Every
 * thing value is at most 20 code points and never empty.
 */
export function outcomeWechatData(m: Pick<OutcomeMessage, 'title' | 'short' | 'at'>, now: number): Record<string, { value: string }> {
  const title = clipThing(m.title) || '办理结果'
  return {
    thing1: { value: title },
    thing2: { value: clipThing(m.short) || title },
    time3: { value: wechatTime(m.at ?? now) }
  }
}
