/**
 * How much of a roster file the import will read, in one place for CSV and
 * xlsx alike. A 党委's roster is a few hundred to a few thousand rows of a
 * dozen columns; anything far past these bounds is a mistake or an attack,
 * and is refused before it costs the server more than a moment.
 */
export const ROSTER_MAX_BYTES = 2 * 1024 * 1024
/** Members per file (the header line not counted). */
export const ROSTER_MAX_ROWS = 5000
/** Columns a row may use: a roster has ~10, a 党委's full register perhaps 40. */
export const ROSTER_MAX_COLUMNS = 100
/**
 * The parts of an .xlsx the import unpacks (sheet, shared strings, styles,
 * workbook), together. 5,000 rows of 30 columns come to about 8 MB; a zip
 * bomb of a few KB claims gigabytes.
 */
export const ROSTER_MAX_UNZIPPED = 24 * 1024 * 1024

export const TOO_BIG = '文件太大了，名册文件请不要超过 2 MB'
export const TOO_MANY_ROWS = `名册最多 ${ROSTER_MAX_ROWS} 行，请分成几个文件导入`
export const UNREADABLE = '文件打不开，请用 Excel 另存为 .xlsx 或 .csv 后再试'

/** A file past one of the bounds above; the message is fit to show the admin. */
export class TableTooLargeError extends Error {}
