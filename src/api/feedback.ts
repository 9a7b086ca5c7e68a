/**
 * 意见建议 on the `remind` function: the member's form and own list, the
 * admins' list and reply. Only types come from the schemas (nothing bundled).
 */
import type { z } from '../core/zod'
import type { Feedback, RemindFeedbackListOutput } from '../core/functions/remind'
import { call } from './index'

export type { Feedback }
export type FeedbackList = z.infer<typeof RemindFeedbackListOutput>
export type FeedbackView = FeedbackList['items'][number]

/** `clientId` is the form's: a resend after a lost answer is the same message. */
export function sendFeedback(text: string, anonymous: boolean, clientId: string): Promise<{ feedback: Feedback; duplicate: boolean }> {
  return call('remind', 'feedback', { text, clientId, ...(anonymous ? { anonymous: true } : {}) })
}

export async function myFeedback(): Promise<Feedback[]> {
  return (await call<{ items?: Feedback[] }>('remind', 'feedbackMine', {})).items ?? []
}

/** Admins: all under their 党委 (names shown); an officer with branchId: the branch's (anonymous ones without name). */
export async function feedbackList(branchId?: string): Promise<FeedbackList> {
  const out = await call<FeedbackList>('remind', 'feedbackList', branchId ? { branchId } : {})
  return { items: out.items ?? [], canReply: !!out.canReply }
}

export function replyFeedback(feedbackId: string, text: string): Promise<unknown> {
  return call('remind', 'feedbackReply', { feedbackId, text })
}
