import { MAKEUP_STANDING_LABELS, makeupStanding } from '../checkin/makeup'
import type { MakeupState } from './attendance'

/** How an absentee's 补学 stands, in the words every other view uses (checkin/makeup.ts). */
export function makeupWordOf(state: MakeupState): string {
  const standing = state === 'none' ? 'none' : makeupStanding({ status: state })
  return standing === 'none' ? '未补学' : MAKEUP_STANDING_LABELS[standing]
}

/** Names as a record lists them: 、 between, 无 for nobody. */
export function peopleText(names: string[]): string {
  return names.length > 0 ? names.join('、') : '无'
}

/** Study materials as a record names them: each in 《》 (once, whether or not its title has them), 、 between. */
export function materialsText(titles: string[]): string {
  return titles.map((t) => `《${t.replace(/^《|》$/g, '')}》`).join('、')
}
