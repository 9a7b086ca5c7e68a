/**
 * The first sheet of an .xlsx as a table of trimmed strings, read from the
 * sheet's XML directly rather than through a general spreadsheet library:
 * only the cells that exist are visited (a single cell at XFD1048576 is one
 * cell, not 17 billion), the row and column bounds are checked as the
 * cells go by, and the work is a generator that yields every few thousand
 * cells, so the caller can hand the event loop back between slices.
 *
 * Cells read as a person typed them, as the import always has: numbers
 * without exponent, date-formatted numbers as YYYY-MM-DD, booleans 是/否,
 * rich text joined, formulas by their cached result.
 */
import { ROSTER_MAX_COLUMNS, ROSTER_MAX_ROWS, TableTooLargeError, TOO_MANY_ROWS } from './limits'

/** Cells (or shared strings) between two yields. */
const SLICE = 2000

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }

export function decodeXml(s: string): string {
  if (!s.includes('&') && !s.includes('_x')) return s
  return (
    s
      .replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (m, e: string) => {
        if (e[0] !== '#') return ENTITIES[e]
        const code = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)
        return code <= 0x10ffff ? String.fromCodePoint(code) : m
      })
      // Excel escapes control characters as _xHHHH_.
      .replace(/_x([0-9a-fA-F]{4})_/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)))
  )
}

const attrRes = new Map<string, RegExp>()

export function attr(attrs: string, name: string): string | undefined {
  let re = attrRes.get(name)
  if (!re) attrRes.set(name, (re = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`)))
  const m = re.exec(attrs)
  return m ? decodeXml(m[1] ?? m[2]) : undefined
}

/** Some writers prefix every element (<x:row>); the reader only looks at local names. */
export function withoutPrefixes(xml: string): string {
  return /<[A-Za-z_][\w.-]*:(worksheet|sst|workbook|styleSheet|Relationships)\b/.test(xml.slice(0, 4096)) ? xml.replace(/<(\/?)[A-Za-z_][\w.-]*:/g, '<$1') : xml
}

/** The text of a string item (<si>, <is>): its runs joined, phonetic guides (<rPh>) left out. */
function itemText(body: string): string {
  const plain = body.includes('<rPh') ? body.replace(/<rPh\b[\s\S]*?<\/rPh>/g, '') : body
  let out = ''
  const t = /<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g
  for (let m = t.exec(plain); m; m = t.exec(plain)) out += m[1]
  return decodeXml(out)
}

/** xl/sharedStrings.xml, into `out`; yields between slices. */
export function* sharedStrings(sstXml: string, out: string[]): Generator<void> {
  const xml = withoutPrefixes(sstXml)
  const si = /<si\b[^>]*?(?:\/>|>([\s\S]*?)<\/si>)/g
  for (let m = si.exec(xml); m; m = si.exec(xml)) {
    out.push(m[1] === undefined ? '' : itemText(m[1]))
    if (out.length % SLICE === 0) yield
  }
}

/** Built-in number formats that show dates, including the Chinese ones (27–36, 50–58). */
const DATE_FORMAT_IDS = new Set([14, 15, 16, 17, 22, 27, 28, 29, 30, 31, 34, 35, 36, 50, 51, 52, 53, 54, 55, 56, 57, 58])

/** A format code with date parts once quoted text and [colour]/[locale] tags are removed (as exceljs judges it). */
export function isDateFormat(code: string): boolean {
  const bare = code.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, '')
  return /[ymdhMsb]+/.test(bare) && !/^General$/i.test(bare.trim())
}

/** Indexes of the cell styles (the `s` of a cell) that show a date. */
export function dateStyles(xml: string): Set<number> {
  const stylesXml = withoutPrefixes(xml)
  const custom = new Map<number, string>()
  const fmt = /<numFmt\b([^>]*)\/?>/g
  for (let m = fmt.exec(stylesXml); m; m = fmt.exec(stylesXml)) {
    const id = Number(attr(m[1], 'numFmtId'))
    const code = attr(m[1], 'formatCode')
    if (Number.isInteger(id) && code !== undefined) custom.set(id, code)
  }
  const dates = new Set<number>()
  const xfs = /<cellXfs\b[^>]*>([\s\S]*?)<\/cellXfs>/.exec(stylesXml)?.[1] ?? ''
  const xf = /<xf\b([^>]*?)\/?>/g
  let i = 0
  for (let m = xf.exec(xfs); m; m = xf.exec(xfs), i++) {
    const id = Number(attr(m[1], 'numFmtId') ?? 0)
    const code = custom.get(id)
    if (code !== undefined ? isDateFormat(code) : DATE_FORMAT_IDS.has(id)) dates.add(i)
  }
  return dates
}

export interface BookParts {
  sheet: string
  sharedStrings: string | null
  styles: string | null
  date1904: boolean
}

/** Where the parts are: the first sheet in the workbook's order, the shared strings and styles, by the workbook's relationships. */
export function bookParts(workbookXml: string, relsXml: string | null): BookParts {
  const book = withoutPrefixes(workbookXml)
  const rels = new Map<string, { type: string; target: string }>()
  const rel = /<Relationship\b([^>]*?)\/?>/g
  const relXml = relsXml ? withoutPrefixes(relsXml) : ''
  for (let m = rel.exec(relXml); m; m = rel.exec(relXml)) {
    const id = attr(m[1], 'Id')
    const target = attr(m[1], 'Target')
    if (id && target) rels.set(id, { type: attr(m[1], 'Type') ?? '', target })
  }
  const path = (target: string) => (target.startsWith('/') ? target.slice(1) : `xl/${target}`).replace(/\/\.\//g, '/')
  const byType = (suffix: string) => [...rels.values()].find((r) => r.type.endsWith(suffix))
  const first = /<sheet\b([^>]*?)\/?>/.exec(book)
  const rid = first ? attr(first[1], 'r:id') ?? attr(first[1], 'id') : undefined
  const sheetRel = rid ? rels.get(rid) : undefined
  const pr = /<workbookPr\b([^>]*?)\/?>/.exec(book)
  const d1904 = pr ? attr(pr[1], 'date1904') : undefined
  return {
    sheet: sheetRel ? path(sheetRel.target) : 'xl/worksheets/sheet1.xml',
    sharedStrings: byType('/sharedStrings') ? path(byType('/sharedStrings')!.target) : null,
    styles: byType('/styles') ? path(byType('/styles')!.target) : null,
    date1904: d1904 === '1' || d1904 === 'true'
  }
}

/** Excel's day number as YYYY-MM-DD (exceljs's conversion, so dates read as they always have). */
export function excelDate(serial: number, date1904: boolean): string | null {
  const ms = Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 86400000)
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return null
  return new Date(ms).toISOString().slice(0, 10)
}

/** A1 → 1; AA7 → 27. */
function columnOf(ref: string): number {
  let n = 0
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i)
    if (c < 65 || c > 90) break
    n = n * 26 + (c - 64)
  }
  return n
}

export function columnName(n: number): string {
  let s = ''
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s
  return s
}

interface CellContext {
  strings: readonly string[]
  dates: ReadonlySet<number>
  date1904: boolean
}

function cellValue(attrs: string, body: string | undefined, ctx: CellContext): string {
  if (body === undefined) return ''
  const t = attr(attrs, 't')
  if (t === 'inlineStr') {
    const is = /<is\b[^>]*>([\s\S]*?)<\/is>/.exec(body)
    return is ? itemText(is[1]).trim() : ''
  }
  const v = /<v(?:\s[^>]*)?>([\s\S]*?)<\/v>/.exec(body)
  if (!v) return ''
  const raw = decodeXml(v[1]).trim()
  switch (t) {
    case 's':
      return (ctx.strings[Number(raw)] ?? '').trim()
    case 'b':
      return raw === '1' || raw === 'true' ? '是' : '否'
    case 'd':
      return raw.slice(0, 10)
    case 'str':
    case 'e':
      return raw
  }
  const n = Number(raw)
  if (raw === '' || !Number.isFinite(n)) return raw
  if (ctx.dates.has(Number(attr(attrs, 's') ?? -1))) return excelDate(n, ctx.date1904) ?? raw
  return Number.isInteger(n) ? n.toFixed(0) : String(n)
}

/**
 * The sheet's rows as the spreadsheet shows them (row n at index n−1; blank
 * rows in between as empty arrays, trailing blank rows dropped), each as
 * wide as the widest used row. A value past row ROSTER_MAX_ROWS + 1 or past
 * column ROSTER_MAX_COLUMNS throws TableTooLargeError at once; styled but
 * empty cells anywhere are ignored. Yields between slices of cells.
 */
export function* sheetTable(sheetXml: string, ctx: CellContext): Generator<void, string[][]> {
  const xml = withoutPrefixes(sheetXml)
  const data = /<sheetData\b[^>]*?(?:\/>|>([\s\S]*)<\/sheetData>)/.exec(xml)?.[1] ?? ''
  const rows: string[][] = []
  let width = 0
  let work = 0
  let rowNo = 0
  const rowRe = /<row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/row>)/g
  const cellRe = /<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g
  for (let r = rowRe.exec(data); r; r = rowRe.exec(data)) {
    const rn = Number(attr(r[1], 'r'))
    rowNo = Number.isInteger(rn) && rn > 0 ? rn : rowNo + 1
    if (++work % SLICE === 0) yield
    const body = r[2]
    if (!body) continue
    const cells: string[] = []
    let col = 0
    cellRe.lastIndex = 0
    for (let c = cellRe.exec(body); c; c = cellRe.exec(body)) {
      const ref = attr(c[1], 'r')
      const cn = ref ? columnOf(ref) : 0
      col = cn > 0 ? cn : col + 1
      if (++work % SLICE === 0) yield
      const value = cellValue(c[1], c[2], ctx)
      if (value === '') continue
      if (rowNo > ROSTER_MAX_ROWS + 1) throw new TableTooLargeError(TOO_MANY_ROWS)
      if (col > ROSTER_MAX_COLUMNS) {
        throw new TableTooLargeError(`名册最多 ${ROSTER_MAX_COLUMNS} 列，第${rowNo}行在很靠右的 ${columnName(col)} 列还有内容，请删掉多余的内容后再试`)
      }
      while (cells.length < col - 1) cells.push('')
      cells[col - 1] = value
    }
    if (cells.length === 0) continue
    while (rows.length < rowNo - 1) rows.push([])
    rows[rowNo - 1] = cells
    width = Math.max(width, cells.length)
  }
  // One width for the whole table, computed once.
  for (const row of rows) while (row.length > 0 && row.length < width) row.push('')
  return rows
}
