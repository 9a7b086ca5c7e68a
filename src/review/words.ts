import { GRADE_LABELS, type Grade } from '../core/vocab/review'

/** 优秀 / 基本合格（理由：…）: one wording for the member's page and the committee's. */
export function outcomeText(o: { grade: Grade; reason?: string }): string {
  return `${GRADE_LABELS[o.grade]}${o.reason ? `（理由：${o.reason}）` : ''}`
}

/** The reassurance shown wherever someone grades or is told how grading works. */
export const SECRECY_NOTE = '评议不记名：谁也看不到您给谁评了什么，书记、支委也看不到。'

/** What the member and the committee read about a 自我评价 found in colleagues' earlier ones; never whose. */
export function selfCopyNotice(copiedWords: number | undefined, whose: 'mine' | 'theirs'): string {
  if (!copiedWords || copiedWords <= 0) return ''
  return whose === 'mine'
    ? `您的自我评价中约有 ${copiedWords} 字与其他同志先写的自我评价相同。自我评价请尽量用自己的话写。`
    : `约 ${copiedWords} 字与其他同志先写的自我评价相同`
}
