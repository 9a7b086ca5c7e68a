/**
 * A spreadsheet as plain data, so the year-end ledgers are built by pure
 * functions (tested here) and written by one writer (exceljs, in the
 * functions). Dates are already text in Shanghai wall time: a ledger is read
 * by inspectors, and a real Excel date would show the server's zone.
 */
export type Cell = string | number | null
export type Row = Cell[]

export interface Column {
  header: string
  /** Excel width units; the writer widens to fit the header. */
  width?: number
  kind?: 'text' | 'int' | 'percent'
}

export interface Sheet {
  /** ≤ 31 characters, none of []:*?/\ (Excel's rule); see sheetName(). */
  name: string
  title?: string
  columns: Column[]
  rows: Row[]
  notes?: string[]
  /** Keep the name column in view on wide sheets (签到台账). */
  freezeFirstColumn?: boolean
}

export interface Workbook {
  fileName: string
  sheets: Sheet[]
}

/** Excel refuses some characters and names over 31 characters; two sheets may not share a name. */
export function sheetName(name: string, taken: Set<string> = new Set()): string {
  const base = name.replace(/[[\]:*?/\\]/g, '').slice(0, 31) || '表'
  let out = base
  for (let i = 2; taken.has(out); i++) out = `${base.slice(0, 28)}(${i})`
  taken.add(out)
  return out
}

/** A ratio as a fraction for a percent cell; null (shown empty) when there is nothing to divide by. */
export function ratio(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 1000) / 1000 : null
}

const pad = (n: number) => (n < 10 ? `0${n}` : String(n))

/** YYYY-MM-DD in Shanghai wall time, without a date library: a 党委's year has 600k ledger dates to print. */
export function dateText(at: number): string {
  const d = new Date(at + 8 * 3600_000)
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`
}
