/**
 * CSV as Excel and WPS save it (RFC 4180: quoted fields, doubled quotes,
 * line breaks inside quotes, CRLF / LF / CR), comma- or tab-separated, with
 * an optional BOM. Bounded, because a roster is a few hundred rows and a
 * stray 50 MB file must be refused, not parsed.
 */
import { ROSTER_MAX_BYTES, ROSTER_MAX_ROWS, TableTooLargeError, TOO_BIG, TOO_MANY_ROWS } from './limits'

export { TableTooLargeError } from './limits'
export const CSV_MAX_CHARS = ROSTER_MAX_BYTES

/** The delimiter the header line uses: a tab-separated export has tabs there and (usually) no commas. */
function delimiterOf(text: string): string {
  const firstLine = text.slice(0, text.search(/\r|\n/) === -1 ? text.length : text.search(/\r|\n/))
  const tabs = firstLine.split('\t').length
  const commas = firstLine.split(',').length
  return tabs > commas ? '\t' : ','
}

export function parseCsv(input: string): string[][] {
  if (input.length > CSV_MAX_CHARS) throw new TableTooLargeError(TOO_BIG)
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input
  const delim = delimiterOf(text)
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  let i = 0
  const endRow = () => {
    row.push(field)
    rows.push(row)
    row = []
    field = ''
    if (rows.length > ROSTER_MAX_ROWS + 1) throw new TableTooLargeError(TOO_MANY_ROWS)
  }
  while (i < text.length) {
    const c = text[i]
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"'
          i += 2
          continue
        }
        quoted = false
      } else field += c
      i++
      continue
    }
    if (c === '"' && field === '') quoted = true
    else if (c === delim) {
      row.push(field)
      field = ''
    } else if (c === '\r' || c === '\n') {
      endRow()
      if (c === '\r' && text[i + 1] === '\n') i++
    } else field += c
    i++
  }
  if (field !== '' || row.length > 0) endRow()
  // Trailing blank lines (Excel often adds one) are not rows.
  while (rows.length > 0 && rows[rows.length - 1].every((f) => f.trim() === '')) rows.pop()
  return rows
}
