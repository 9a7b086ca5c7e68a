/**
 * Shared setup of the note function tests: demo people, distinct note texts
 * (so the originality check has nothing to match between them), and calls.
 */
import type { Note, NoteSummary } from '../../src/core/schemas/note'
import type { TestEnv } from '../helpers/env'

/** Demo people: br_2 has 12 members (01 secretary, 02 committee); br_1_01 is the 党委 admin. */
export const P = {
  admin: 'm_br_1_01',
  secretary1: 'm_br_1_02',
  secretary2: 'm_br_2_01',
  committee2: 'm_br_2_02',
  /** br_2, staff. */
  member: 'm_br_2_05',
  /** br_2, staff. */
  other: 'm_br_2_09',
  /** br_2, 副科级以上. */
  deputy: 'm_br_2_06',
  secretary3: 'm_br_3_01',
  /** br_3, exempt (age). */
  exempt: 'm_br_3_12'
} as const

const HAN = '春夏秋冬山水田园风雨雷电江河湖海日月星辰松竹梅兰琴棋书画东南西北金木火土'
let serial = 0

/** A text no other test note shares: han characters chosen by a counter, plus a number. */
export function freshText(hanChars = 40): string {
  const n = ++serial
  let s = ''
  for (let i = 0; i < hanChars; i++) s += HAN[(n * 7 + i * (n % 5 + 1) + Math.floor(i / HAN.length) * 3) % HAN.length]
  return `${s}，编号 ${n * 7919}。`
}

export type SaveOut = { note: Note; creditNotice: string }
export type ListOut = { notes: NoteSummary[]; total: number }

export function saveNote(env: TestEnv, as: string, body: Record<string, unknown>) {
  return env.call<SaveOut>('note', 'save', { kind: 'note', title: '学习笔记', ...body }, as)
}
