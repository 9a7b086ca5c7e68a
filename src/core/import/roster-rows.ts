/**
 * A roster table (first row the headers) read into members a branch can
 * keep: the Chinese headers a 党委's spreadsheet actually has, each row
 * checked with a sentence that names its line. Nothing here writes; the
 * plan (roster-plan.ts) decides what an import would do.
 */
import { formatShanghai, SHANGHAI_OFFSET_MS, shanghaiDayStart } from '../period'
import type { Rank } from '../schemas/member'
import { EXEMPT_REASONS } from '../schemas/member'
import { atLine, ROSTER_COLUMNS, TEMPLATE_EXAMPLE, type Field } from './roster-columns'

export type ExemptReason = (typeof EXEMPT_REASONS)[number]

export interface RosterRow {
  /** The line as the spreadsheet shows it (the header is line 1). */
  line: number
  name: string
  phone: string | null
  employeeNo: string | null
  branchName: string
  groupName: string | null
  rank: Rank
  retired: boolean
  leadingCadre: boolean
  birthYear: number | null
  exemptReason: ExemptReason | null
  /** 加入支部日期 as the Shanghai midnight that starts it; null when not given (the import's own time then). */
  joinedAt: number | null
  /**
   * Which optional columns the file has. A column the file lacks says
   * nothing: re-importing a list of names and phones must not reset every
   * member's rank to staff or lift their exemptions.
   */
  given: Given
}

export interface Given {
  rank: boolean
  retired: boolean
  leadingCadre: boolean
  birthYear: boolean
  exempt: boolean
  group: boolean
  joinedAt: boolean
}

/** 手机号(必填) → 手机号: spaces, full-width spaces and bracketed notes do not matter. */
export function normaliseHeader(h: string): string {
  return h
    .replace(/[\s\u3000]+/g, '')
    .replace(/[（(][^）)]*[）)]/g, '')
    .replace(/[*＊]/g, '')
    .toLowerCase()
}

export interface HeaderMap {
  columns: Partial<Record<Field, number>>
  unknown: string[]
}

export function mapHeaders(header: readonly string[]): { ok: true; map: HeaderMap } | { ok: false; message: string } {
  const columns: Partial<Record<Field, number>> = {}
  const unknown: string[] = []
  header.forEach((raw, i) => {
    const h = normaliseHeader(raw)
    if (!h) return
    const field = ROSTER_COLUMNS.find((c) => [c.header, ...c.aliases].some((alias) => normaliseHeader(alias) === h))?.field
    if (field && columns[field] === undefined) columns[field] = i
    else unknown.push(raw.trim())
  })
  if (columns.name === undefined) return { ok: false, message: '第1行要有“姓名”这一列' }
  if (columns.phone === undefined && columns.employeeNo === undefined) return { ok: false, message: '第1行要有“手机号”或“工号”这一列，用来认出每一位党员' }
  if (columns.branch === undefined) return { ok: false, message: '第1行要有“支部”这一列，写明每位党员所在的党支部' }
  return { ok: true, map: { columns, unknown } }
}

const YES = new Set(['是', 'y', 'yes', '√', '✓', '1', 'true', '离退休', '退休', '离休'])
const NO = new Set(['', '否', 'n', 'no', '×', '0', 'false', '在职'])

function yesNo(v: string): boolean | null {
  const t = v.trim().toLowerCase()
  if (YES.has(t)) return true
  if (NO.has(t)) return false
  return null
}

/** 一般工作人员 / 科员 → staff; 副科级 and above (or “领导干部”) → the 15,000-word quota. */
export function rankOf(v: string): Rank | null {
  const t = v.replace(/\s/g, '')
  if (t === '' || /^(一般工作人员|工作人员|科员|办事员|职员|员工|一般干部|其他)$/.test(t)) return 'staff'
  if (/副科|正科|科级|副处|处级|正处|副厅|厅级|正厅|副局|局级|副部|部级|以上|领导干部|主任科员|调研员|巡视员/.test(t)) return 'deputy_section_plus'
  return null
}

/** 1950, 1950-03, 1950年3月, 1950/3/1, 19500301, or an Excel serial day number. */
export function birthYearOf(v: string): number | null | 'bad' {
  const t = v.trim()
  if (!t) return null
  const m = /^(\d{4})(?:[-/.年]|\d{2,4}|$)/.exec(t)
  if (m) {
    const y = Number(m[1])
    return y >= 1900 && y <= 2100 ? y : 'bad'
  }
  if (/^\d{4,5}(\.\d+)?$/.test(t)) {
    // Excel counts days from 1899-12-30.
    const y = new Date(Date.UTC(1899, 11, 30) + Math.floor(Number(t)) * 86400000).getUTCFullYear()
    return y >= 1900 && y <= 2100 ? y : 'bad'
  }
  return 'bad'
}

const DAY_MS = 86400000

/**
 * 2026-03-01, 2026/3/1, 2026.3.1, 2026年3月1日, 20260301 (an Excel date cell
 * reads as 2026-03-01; a raw day number, as a CSV may carry it, too) → the
 * Shanghai midnight that starts the day.
 */
export function joinDateOf(v: string): number | null | 'bad' {
  const t = v.replace(/[\s\u3000]+/g, ' ').trim()
  if (!t) return null
  let y: number, mo: number, d: number
  const m = /^(\d{4}) ?[-/.年] ?(\d{1,2}) ?[-/.月] ?(\d{1,2}) ?日?(?: \d{1,2}:\d{2}(?::\d{2})?)?$/.exec(t) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(t)
  if (m) [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  else if (/^\d{5}(\.\d+)?$/.test(t)) {
    // Excel counts days from 1899-12-30.
    const at = new Date(Date.UTC(1899, 11, 30) + Math.floor(Number(t)) * DAY_MS)
    ;[y, mo, d] = [at.getUTCFullYear(), at.getUTCMonth() + 1, at.getUTCDate()]
  } else return 'bad'
  const utc = Date.UTC(y, mo - 1, d)
  const back = new Date(utc)
  if (y < 1900 || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return 'bad'
  return utc - SHANGHAI_OFFSET_MS
}

const EXEMPT_WORDS: Record<string, ExemptReason> = { 年龄: 'age', 年龄较大: 'age', 高龄: 'age', 长期病休: 'long_illness', 病休: 'long_illness', 行动不便: 'mobility', 其他: 'other' }

/** +86 138-0013-8000 → 13800138000. */
export function normalisePhone(v: string): string {
  return v.replace(/[\s\-－—()（）]/g, '').replace(/^(\+?86)(?=1\d{10}$)/, '')
}

export type RowResult = { ok: true; row: RosterRow } | { ok: false; line: number; errors: string[] }

/** The template's example row left in: imported, it would create a member nobody is. */
function isTemplateExample(cell: (f: Field) => string): boolean {
  const ex = (f: Field) => ROSTER_COLUMNS.find((c) => c.field === f)!.example
  return cell('name') === ex('name') && normalisePhone(cell('phone')) === ex('phone')
}

/** `now` judges a 加入支部日期 in the future. */
export function readRow(cells: readonly string[], line: number, map: HeaderMap, now: number): RowResult | null {
  const cell = (f: Field) => {
    const i = map.columns[f]
    return i === undefined ? '' : String(cells[i] ?? '').trim()
  }
  if (cells.every((c) => String(c ?? '').trim() === '')) return null
  const errors: string[] = []
  const at = atLine(line)
  if (isTemplateExample(cell)) return { ok: false, line, errors: [`${at}：这是模板里的示例（${TEMPLATE_EXAMPLE[0]}），请删掉这一行后再导入`] }
  const name = cell('name').replace(/\s+/g, '')
  if (!name) errors.push(`${at}：没有填姓名`)
  else if (name.length > 30) errors.push(`${at}：姓名太长了`)
  const rawPhone = cell('phone')
  const phone = rawPhone ? normalisePhone(rawPhone) : null
  if (/^\d(\.\d+)?e\+?\d+$/i.test(rawPhone)) errors.push(`${at}：手机号被 Excel 显示成了科学计数法，请把这一列设为“文本”后重新保存`)
  else if (phone !== null && !/^1\d{10}$/.test(phone)) errors.push(`${at}：手机号应为11位数字`)
  const employeeNo = cell('employeeNo') || null
  if (employeeNo && (employeeNo.length > 32 || !/^[A-Za-z0-9_-]+$/.test(employeeNo))) errors.push(`${at}：工号只能是字母和数字`)
  if (!phone && !employeeNo) errors.push(`${at}：手机号和工号至少要填一个`)
  const branchName = cell('branch').replace(/\s+/g, '')
  if (!branchName) errors.push(`${at}：没有填所在支部`)
  const rank = rankOf(cell('rank'))
  if (rank === null) errors.push(`${at}：看不懂职级“${cell('rank')}”，请写“一般工作人员”或“副科级以上”`)
  const retired = yesNo(cell('retired'))
  if (retired === null) errors.push(`${at}：“是否离退休”请填“是”或“否”`)
  const leadingCadre = yesNo(cell('leadingCadre'))
  if (leadingCadre === null) errors.push(`${at}：“是否领导干部”请填“是”或“否”`)
  const birth = birthYearOf(cell('birth'))
  if (birth === 'bad') errors.push(`${at}：出生年份看不懂，请写成 1958 或 1958-03`)
  const exemptText = cell('exempt').replace(/\s+/g, '')
  const exemptReason = exemptText ? EXEMPT_WORDS[exemptText] ?? null : null
  if (exemptText && !exemptReason) errors.push(`${at}：免除原因请写“年龄较大”“长期病休”“行动不便”或“其他”`)
  const joined = joinDateOf(cell('joined'))
  if (joined === 'bad') errors.push(`${at}：加入支部日期“${cell('joined')}”看不懂，请写成 2026-03-01 或 2026年3月1日`)
  else if (joined !== null && joined > shanghaiDayStart(now)) errors.push(`${at}：加入支部日期 ${formatShanghai(joined, 'YYYY-MM-DD')} 还没有到，请核对`)
  if (errors.length > 0) return { ok: false, line, errors }
  return {
    ok: true,
    row: {
      line,
      name,
      phone,
      employeeNo,
      branchName,
      groupName: cell('group').replace(/\s+/g, '') || null,
      rank: rank as Rank,
      retired: retired as boolean,
      leadingCadre: leadingCadre as boolean,
      birthYear: birth as number | null,
      exemptReason,
      joinedAt: joined as number | null,
      given: {
        rank: map.columns.rank !== undefined,
        retired: map.columns.retired !== undefined,
        leadingCadre: map.columns.leadingCadre !== undefined,
        birthYear: map.columns.birth !== undefined,
        exempt: map.columns.exempt !== undefined,
        group: map.columns.group !== undefined,
        joinedAt: map.columns.joined !== undefined
      }
    }
  }
}

/**
 * The member key that makes an import idempotent: the phone when there is
 * one, else the employee number. The same file imported twice finds the
 * same people and changes nothing.
 */
export function rosterMemberKey(r: Pick<RosterRow, 'phone' | 'employeeNo'>): string {
  return r.phone ? `phone:${r.phone}` : `emp:${r.employeeNo}`
}

export interface ReadTable {
  rows: RosterRow[]
  errors: string[]
  unknownColumns: string[]
}

/** Every row read (as of `now`); duplicate keys inside the file are errors on the later line. */
export function readRoster(table: readonly (readonly string[])[], now: number): ReadTable {
  if (table.length === 0) return { rows: [], errors: ['文件是空的'], unknownColumns: [] }
  const header = mapHeaders(table[0])
  if (!header.ok) return { rows: [], errors: [header.message], unknownColumns: [] }
  const rows: RosterRow[] = []
  const errors: string[] = []
  const firstLine = new Map<string, number>()
  table.slice(1).forEach((cells, i) => {
    const r = readRow(cells, i + 2, header.map, now)
    if (!r) return
    if (!r.ok) {
      errors.push(...r.errors)
      return
    }
    const key = rosterMemberKey(r.row)
    const seen = firstLine.get(key)
    if (seen !== undefined) {
      errors.push(`${atLine(r.row.line)}：和第${seen}行是同一个人（${key.startsWith('phone:') ? '手机号' : '工号'}相同）`)
      return
    }
    firstLine.set(key, r.row.line)
    rows.push(r.row)
  })
  if (rows.length === 0 && errors.length === 0) errors.push('文件里没有党员，请从第2行开始填写')
  return { rows, errors, unknownColumns: header.map.unknown }
}
