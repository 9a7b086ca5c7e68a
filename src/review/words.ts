import { GRADE_LABELS, type Grade } from '../core/vocab/review'

/** 优秀 / 基本合格（理由：…）: one wording for the member's page and the committee's. */
export function outcomeText(o: { grade: Grade; reason?: string }): string {
  return `${GRADE_LABELS[o.grade]}${o.reason ? `（理由：${o.reason}）` : ''}`
}

/** The reassurance shown wherever someone grades or is told how grading works. */
export const SECRECY_NOTE = '评议不记名：谁也看不到您给谁评了什么，书记、支委也看不到。'
