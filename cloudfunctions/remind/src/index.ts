/**
 * The `remind` function: the secretary's targeted reminders (send, sent,
 * log), the member's in-app inbox (inbox, markRead) and the WeChat one-time
 * subscription budget (subscribe, budget), and 意见建议 (feedback, feedbackMine,
 * feedbackList, feedbackReply). Who receives a reminder and when
 * are pure rules in src/core/remind; this gathers facts and records outcomes.
 */
import { RemindInputs } from '../../../src/core/functions/remind'
import { action, defineFunction } from '../../_shared/dispatch'
import { budgetAction, subscribeAction } from './budget'
import { feedbackAction, feedbackListAction, feedbackMineAction, feedbackReplyAction } from './feedback'
import { inboxAction, markReadAction } from './inbox'
import { logAction, sentAction } from './log'
import { sendAction } from './send'

export const remind = defineFunction('remind', {
  send: action(RemindInputs.send, sendAction),
  inbox: action(RemindInputs.inbox, inboxAction),
  markRead: action(RemindInputs.markRead, markReadAction),
  subscribe: action(RemindInputs.subscribe, subscribeAction),
  budget: action(RemindInputs.budget, budgetAction),
  sent: action(RemindInputs.sent, sentAction),
  log: action(RemindInputs.log, logAction),
  feedback: action(RemindInputs.feedback, feedbackAction),
  feedbackMine: action(RemindInputs.feedbackMine, feedbackMineAction),
  feedbackList: action(RemindInputs.feedbackList, feedbackListAction),
  feedbackReply: action(RemindInputs.feedbackReply, feedbackReplyAction)
})
