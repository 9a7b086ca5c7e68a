/**
 * 补学: one judge for every view of a make-up — the member's own record and
 * session page, the aggregates and points, the warnings, the 签到台账 and
 * the 个人档案 — so an inspection never reads 已补学 in one and 缺席 in
 * another.
 *
 * - assigned: to do (待补学);
 * - handed in (submitted): pending, shown as 补学待审; the absence stays an
 *   absence, nothing is counted or earned yet;
 * - accepted: done — only now is the absence shown as 已补学, the make-up
 *   counted (补学 counter, the Art. 9 streak broken) and its point given;
 * - returned: to redo, like assigned.
 *
 * 补学 is study, not presence: a done make-up is recorded beside the absence
 * it made up for and never turns it into attendance or leave.
 */
import type { Makeup } from '../schemas/checkin'

export type MakeupStanding = 'none' | 'to_do' | 'pending' | 'done' | 'returned'

export const MAKEUP_STANDING_LABELS: Record<Exclude<MakeupStanding, 'none'>, string> = {
  to_do: '待补学',
  pending: '补学待审',
  done: '已补学',
  returned: '补学已退回'
}

export function makeupStanding(m: Pick<Makeup, 'status'> | null | undefined): MakeupStanding {
  if (!m) return 'none'
  switch (m.status) {
    case 'assigned':
      return 'to_do'
    case 'submitted':
      return 'pending'
    case 'accepted':
      return 'done'
    case 'returned':
      return 'returned'
    default:
      return 'none'
  }
}

/** Accepted by the secretary: the only standing that counts anywhere. */
export function makeupDone(m: Pick<Makeup, 'status'> | null | undefined): boolean {
  return makeupStanding(m) === 'done'
}
