/**
 * Spreadsheets in and out. In: a roster as a table of trimmed strings, from
 * .xlsx (read by src/core/import/xlsx.ts, bounded and in slices) or from
 * .csv in UTF-8 or GBK (Excel in China saves CSV as GBK). Out, with exceljs:
 * the ledgers as .xlsx with Chinese headers, a frozen header row, widths
 * that fit Chinese text, dates already in Shanghai wall time.
 */
import { performance } from 'perf_hooks'
import { promisify } from 'util'
import { inflateRaw, type ZlibOptions } from 'zlib'
import ExcelJS from 'exceljs'
import { AppError } from '../../src/core/errors'
import { parseCsv } from '../../src/core/import/csv'
import { ROSTER_MAX_BYTES, ROSTER_MAX_UNZIPPED, TableTooLargeError, TOO_BIG, UNREADABLE } from '../../src/core/import/limits'
import { bookParts, dateStyles, sharedStrings, sheetTable } from '../../src/core/import/xlsx'
import { entryData, zipDirectory, type ZipEntry } from '../../src/core/import/zip'
import type { Sheet, Workbook } from '../../src/core/ledgers/model'

export { ROSTER_MAX_BYTES }
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

const inflate = promisify(inflateRaw) as (data: Uint8Array, options: ZlibOptions) => Promise<Buffer>
/** Work between two turns of the event loop: other callers wait at most about this long for a roster being read. */
const SLICE_MS = 8

/** UTF-8 when the bytes are valid UTF-8, else GBK: a Chinese Excel's “CSV” is GBK. */
export function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return new TextDecoder('gbk').decode(bytes)
  }
}

/** Runs a sliced parse to its end, giving the event loop back every SLICE_MS. */
async function inSlices<T>(work: Generator<void, T>): Promise<T> {
  let since = performance.now()
  for (;;) {
    const step = work.next()
    if (step.done) return step.value
    if (performance.now() - since > SLICE_MS) {
      await new Promise((resolve) => setImmediate(resolve))
      since = performance.now()
    }
  }
}

/**
 * The first sheet of an .xlsx. Each part is unpacked only if the size its
 * zip directory declares fits what is left of ROSTER_MAX_UNZIPPED, and is
 * inflated with that declared size as a hard limit (off the event loop, in
 * zlib's thread pool), so neither an honest zip bomb nor one that lies
 * about its sizes gets further than its first few kilobytes.
 */
async function readXlsx(bytes: Uint8Array): Promise<string[][]> {
  const entries = new Map<string, ZipEntry>()
  for (const e of zipDirectory(bytes)) entries.set(e.name.toLowerCase(), e)
  let left = ROSTER_MAX_UNZIPPED
  const unpack = async (name: string): Promise<string | null> => {
    const e = entries.get(name.toLowerCase())
    if (!e) return null
    if (e.encrypted) throw new TableTooLargeError('文件设置了密码，请去掉密码、另存为 .xlsx 后再导入')
    if (e.size > left) throw new TableTooLargeError(`文件解压后超过 ${ROSTER_MAX_UNZIPPED / 1024 / 1024} MB，不像是一份名册。请只保留名册这一张表，另存为 .xlsx 或 .csv 后再试`)
    left -= e.size
    const data = entryData(bytes, e)
    if (e.method === 0) return Buffer.from(data.subarray(0, e.size)).toString('utf8')
    if (e.method !== 8) throw new Error(`zip method ${e.method}`)
    // Past the declared size zlib stops with an error: a part that lies about its size is damaged.
    return (await inflate(data, { maxOutputLength: Math.max(1, e.size) })).toString('utf8')
  }
  const workbook = await unpack('xl/workbook.xml')
  if (workbook === null) throw new Error('no workbook')
  const parts = bookParts(workbook, await unpack('xl/_rels/workbook.xml.rels'))
  const sheet = await unpack(parts.sheet)
  if (sheet === null) return []
  const sst = await unpack(parts.sharedStrings ?? 'xl/sharedStrings.xml')
  const styles = await unpack(parts.styles ?? 'xl/styles.xml')
  const strings: string[] = []
  if (sst !== null) await inSlices(sharedStrings(sst, strings))
  const dates = styles === null ? new Set<number>() : dateStyles(styles)
  return inSlices(sheetTable(sheet, { strings, dates, date1904: parts.date1904 }))
}

export async function readTable(bytes: Uint8Array, fileName: string): Promise<string[][]> {
  if (bytes.length > ROSTER_MAX_BYTES) throw new AppError('INVALID_INPUT', TOO_BIG)
  const ext = fileName.toLowerCase().split('.').pop()
  try {
    if (ext === 'csv' || ext === 'txt') return parseCsv(decodeText(bytes))
    if (ext === 'xlsx') return await readXlsx(bytes)
  } catch (err) {
    if (err instanceof TableTooLargeError) throw new AppError('INVALID_INPUT', err.message)
    throw new AppError('INVALID_INPUT', UNREADABLE)
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
