/**
 * The `cron` function: timer-triggered jobs, and `setup`, run once after
 * deploy to create the collections. CloudBase allows one timer trigger per
 * function, so config.json declares one, `tick`, which runs each job on its
 * own schedule (tick.ts); the jobs stay callable one by one, and a timer
 * event naming one (an older deploy's triggers) still runs it. A timer
 * event carries no action, only the trigger's name; the local scheduler
 * calls the same actions. Each call does a bounded chunk (a function call
 * has a timeout) and remembers where it got to, so the next tick carries
 * on; every job is safe to run twice or late.
 */
import { fail } from '../../../src/core/errors'
import { CronInputs, TimerEventSchema } from '../../../src/core/functions/cron'
import { action, defineFunction, type DispatchFn } from '../../_shared/dispatch'
import { reconcileJob } from './reconcile'
import { remindersJob } from './reminders'
import { setupJob } from './setup'
import { tallyJob } from './tally'
import { tickJob } from './tick'

const dispatch = defineFunction('cron', {
  tally: action(CronInputs.tally, tallyJob),
  reconcile: action(CronInputs.reconcile, reconcileJob),
  reminders: action(CronInputs.reminders, remindersJob),
  setup: action(CronInputs.setup, setupJob),
  tick: action(CronInputs.tick, (rt, input) => tickJob(rt, input))
})

export const cron: DispatchFn = async (rt, event) => {
  // A member's own call always carries their identity; only the platform's timer and the local scheduler carry none.
  if (rt.identity.openid !== null) return fail('FORBIDDEN', '定时任务和初始化只能由系统触发')
  const timer = TimerEventSchema.safeParse(event)
  return dispatch(rt, timer.success ? { action: timer.data.TriggerName } : event)
}
