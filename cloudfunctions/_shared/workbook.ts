/**
 * Spreadsheets in and out, with exceljs. In: a roster as a table of trimmed
 * strings, from .xlsx or from .csv in UTF-8 or GBK (Excel in China saves CSV
 * as GBK). Out: the ledgers as .xlsx with Chinese headers, a frozen header
 * row, widths that fit Chinese text, dates already in Shanghai wall time.
 */
import ExcelJS from 'exceljs'
import { AppError } from '../../src/core/errors'
import { parseCsv, TableTooLargeError } from '../../src/core/import/csv'
import type { Sheet, Workbook } from '../../src/core/ledgers/model'

export const ROSTER_MAX_BYTES = 2 * 1024 * 1024
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/** UTF-8 when the bytes are valid UTF-8, else GBK: a Chinese Excel's “CSV” is GBK. */
export function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return new TextDecoder('gbk').decode(bytes)
  }
}

/** A cell as the person typed it: numbers without exponent, dates as YYYY-MM-DD, rich text joined, formulas by result. */
function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return ''
  if (typeof v === 'number') return Number.isInteger(v) ? v.toFixed(0) : String(v)
  if (typeof v === 'string') return v.trim()
  if (typeof v === 'boolean') return v ? '是' : '否'
  if (v instanceof Date) return v.toISOString().slice(0, 10)
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((t) => t.text).join('').trim()
    if ('result' in v) return cellText((v as { result?: ExcelJS.CellValue }).result ?? null)
    if ('text' in v) return String((v as { text: unknown }).text).trim()
  }
  return String(v).trim()
}

export async function readTable(bytes: Uint8Array, fileName: string): Promise<string[][]> {
  if (bytes.length > ROSTER_MAX_BYTES) throw new AppError('INVALID_INPUT', '文件太大了，名册文件请不要超过 2 MB')
  const ext = fileName.toLowerCase().split('.').pop()
  try {
    if (ext === 'csv' || ext === 'txt') return parseCsv(decodeText(bytes))
    if (ext === 'xlsx') {
      const book = new ExcelJS.Workbook()
      await book.xlsx.load(Buffer.from(bytes) as never)
      const sheet = book.worksheets[0]
      if (!sheet) return []
      const rows: string[][] = []
      sheet.eachRow({ includeEmpty: true }, (row, n) => {
        const cells: string[] = []
        for (let c = 1; c <= Math.max(row.cellCount, sheet.columnCount); c++) cells.push(cellText(row.getCell(c).value))
        rows[n - 1] = cells
      })
      return Array.from(rows, (r) => r ?? [])
    }
  } catch (err) {
    if (err instanceof TableTooLargeError) throw new AppError('INVALID_INPUT', err.message)
    throw new AppError('INVALID_INPUT', '文件打不开，请用 Excel 另存为 .xlsx 或 .csv 后再试')
  }
  throw new AppError('INVALID_INPUT', '请上传 .xlsx 或 .csv 格式的名册')
}

/** Display width of a text in Excel's units: a Han character takes about two. */
export function textWidth(s: string): number {
  let w = 0
  for (const ch of s) w += /[\u2e80-\uffff]/.test(ch) ? 2.1 : 1.1
  return w
}

function addSheet(book: ExcelJS.Workbook | ExcelJS.stream.xlsx.WorkbookWriter, sheet: Sheet) {
  const titleRows = sheet.title ? 1 : 0
  const ws = book.addWorksheet(sheet.name, {
    views: [{ state: 'frozen', xSplit: sheet.freezeFirstColumn ? 1 : 0, ySplit: titleRows + 1 }]
  })
  ws.columns = sheet.columns.map((c) => ({
    width: Math.min(60, Math.max(c.width ?? 0, textWidth(c.header) + 2)),
    style: c.kind === 'percent' ? { numFmt: '0.0%' } : {}
  }))
  if (sheet.title) {
    const t = ws.addRow([sheet.title])
    t.font = { bold: true, size: 14 }
    if ('commit' in t && typeof t.commit === 'function') t.commit()
  }
  const head = ws.addRow(sheet.columns.map((c) => c.header))
  head.font = { bold: true }
  head.alignment = { vertical: 'middle', wrapText: true }
  head.eachCell((cell) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF3F3F3' } }
  })
  if ('commit' in head && typeof head.commit === 'function') head.commit()
  for (const r of sheet.rows) {
    const row = ws.addRow(r)
    if ('commit' in row && typeof row.commit === 'function') row.commit()
  }
  for (const note of sheet.notes ?? []) {
    const row = ws.addRow([note])
    row.font = { italic: true, color: { argb: 'FF666666' } }
    if ('commit' in row && typeof row.commit === 'function') row.commit()
  }
  return ws
}

/**
 * The workbook as .xlsx bytes. Large books (an organisation's year) go
 * through exceljs's streaming writer, which commits rows as it goes instead
 * of holding every cell object at once.
 */
export async function writeWorkbook(book: Workbook): Promise<Buffer> {
  const rows = book.sheets.reduce((n, s) => n + s.rows.length, 0)
  if (rows < 20000) {
    const wb = new ExcelJS.Workbook()
    wb.creator = '支部学习打卡'
    for (const s of book.sheets) addSheet(wb, s)
    return Buffer.from(await wb.xlsx.writeBuffer())
  }
  const chunks: Buffer[] = []
  const { PassThrough } = await import('stream')
  const out = new PassThrough()
  out.on('data', (c: Buffer) => chunks.push(c))
  const done = new Promise<void>((resolve, reject) => {
    out.on('end', () => resolve())
    out.on('error', reject)
  })
  // Past 100k rows the cell styles (bold header, percent format) are left out: they double the
  // writing time of a 党委's 600k-line 积分明细. Frozen header and widths are views, not styles: kept.
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: rows < 100_000 })
  wb.creator = '支部学习打卡'
  for (const s of book.sheets) (addSheet(wb, s) as ExcelJS.Worksheet & { commit(): void }).commit()
  await wb.commit()
  await done
  return Buffer.concat(chunks)
}
