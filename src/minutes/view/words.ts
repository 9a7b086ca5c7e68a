import type { MinutesView } from '../../api/minutes'
import { MAKEUP_STANDING_LABELS, makeupStanding } from '../../core/checkin/makeup'

type MakeupState = MinutesView['attendance']['absent'][number]['makeup']

/** How an absent member's 补学 stands, in the words every other view uses (core/checkin/makeup.ts). */
export function makeupWord(state: MakeupState): string {
  const standing = state === 'none' ? 'none' : makeupStanding({ status: state })
  return standing === 'none' ? '未补学' : MAKEUP_STANDING_LABELS[standing]
}

/** Names as a record lists them: 、 between, 无 for nobody. */
export function peopleText(names: string[]): string {
  return names.length > 0 ? names.join('、') : '无'
}
