/**
 * The bounded .xlsx reader: only the cells that exist are visited, values
 * read as a person typed them, and a value past the row or column bounds
 * refuses the file at once.
 */
import ExcelJS from 'exceljs'
import { inflateRawSync } from 'zlib'
import { ROSTER_MAX_ROWS, TableTooLargeError } from '../../../src/core/import/limits'
import { bookParts, columnName, dateStyles, isDateFormat, sharedStrings, sheetTable } from '../../../src/core/import/xlsx'
import { entryData, zipDirectory, ZipError } from '../../../src/core/import/zip'

/** Runs a sliced parse in one go, counting its slices. */
function run<T>(gen: Generator<void, T>): { value: T; slices: number } {
  let slices = 0
  for (;;) {
    const s = gen.next()
    if (s.done) return { value: s.value, slices }
    slices++
  }
}

const ctx = { strings: ['姓名', '张三'], dates: new Set([1]), date1904: false }
const sheet = (rows: string) => `<?xml version="1.0"?><worksheet xmlns="x"><dimension ref="A1:XFD1048576"/><sheetData>${rows}</sheetData></worksheet>`

describe('sheetTable', () => {
  it('reads shared, inline, rich, boolean, formula, error, ISO and date-styled cells, and blank rows between', () => {
    const xml = sheet(
      '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="inlineStr"><is><r><t>王</t></r><r><t xml:space="preserve">芳 </t></r><rPh><t>ワン</t></rPh></is></c></row>' +
        '<row r="2" ht="20" customHeight="1"/>' +
        '<row r="4"><c r="A4" t="b"><v>1</v></c><c r="B4" s="1"><v>46082</v></c><c r="C4"><v>13800138000</v></c><c r="D4"><v>1.5</v></c>' +
        '<c r="E4" t="str"><f>A1</f><v>a &amp; b</v></c><c r="F4" t="e"><v>#N/A</v></c><c r="G4" t="d"><v>2026-03-01T00:00:00</v></c><c r="H4" s="7"/></row>'
    )
    expect(run(sheetTable(xml, ctx)).value).toEqual([
      ['姓名', '', '王芳', '', '', '', ''],
      [],
      [],
      ['是', '2026-03-01', '13800138000', '1.5', 'a & b', '#N/A', '2026-03-01']
    ])
    expect(run(sheetTable(xml, { ...ctx, date1904: true })).value[3][1]).toBe('2030-03-02')
  })

  it('takes rows and cells without references, and prefixed elements', () => {
    const xml = '<x:worksheet xmlns:x="x"><x:sheetData><x:row><x:c t="inlineStr"><x:is><x:t>a</x:t></x:is></x:c><x:c><x:v>2</x:v></x:c></x:row><x:row><x:c><x:v>3</x:v></x:c></x:row></x:sheetData></x:worksheet>'
    expect(run(sheetTable(xml, ctx)).value).toEqual([['a', '2'], ['3', '']])
  })

  it('ignores styled empty cells anywhere, but refuses a value past the bounds at once', () => {
    expect(run(sheetTable(sheet('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="XFD1" s="3"/></row><row r="1048576"><c r="XFD1048576" s="2"/></row>'), ctx)).value).toEqual([['姓名']])
    expect(() => run(sheetTable(sheet('<row r="1048576"><c r="XFD1048576" t="s"><v>1</v></c></row>'), ctx))).toThrow(new TableTooLargeError(`名册最多 ${ROSTER_MAX_ROWS} 行，请分成几个文件导入`))
    expect(() => run(sheetTable(sheet('<row r="2"><c r="XFD2"><v>1</v></c></row>'), ctx))).toThrow('名册最多 100 列，第2行在很靠右的 XFD 列还有内容')
    expect(() => run(sheetTable(sheet(`<row r="${ROSTER_MAX_ROWS + 2}"><c r="A${ROSTER_MAX_ROWS + 2}"><v>1</v></c></row>`), ctx))).toThrow(TableTooLargeError)
    expect(run(sheetTable(sheet(`<row r="${ROSTER_MAX_ROWS + 1}"><c r="A${ROSTER_MAX_ROWS + 1}"><v>1</v></c></row>`), ctx)).value).toHaveLength(ROSTER_MAX_ROWS + 1)
  })

  it('gives the event loop back between slices of cells', () => {
    const rows = Array.from({ length: 3000 }, (_, i) => `<row r="${i + 1}"><c r="A${i + 1}"><v>${i}</v></c><c r="B${i + 1}" t="s"><v>1</v></c></row>`).join('')
    const out = run(sheetTable(sheet(rows), ctx))
    expect(out.value).toHaveLength(3000)
    expect(out.slices).toBeGreaterThanOrEqual(4)
  })
})

describe('the rest of the book', () => {
  it('reads shared strings (phonetic guides left out), date styles and the first sheet', () => {
    const strings: string[] = []
    run(sharedStrings('<sst><si><t>姓名</t></si><si/><si><r><t>李</t></r><r><t>明</t></r><rPh sb="0" eb="1"><t>リ</t></rPh></si></sst>', strings))
    expect(strings).toEqual(['姓名', '', '李明'])
    const styles = '<styleSheet><numFmts><numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/><numFmt numFmtId="177" formatCode="0.00_ "/></numFmts><cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="176"><alignment/></xf><xf numFmtId="177"/><xf numFmtId="31"/></cellXfs></styleSheet>'
    expect([...dateStyles(styles)]).toEqual([1, 2, 4])
    expect([isDateFormat('[Red]0.00'), isDateFormat('"年"0'), isDateFormat('yyyy/m/d;@')]).toEqual([false, false, true])
    const wb = '<workbook xmlns:r="r"><workbookPr date1904="1"/><sheets><sheet name="名册" sheetId="3" r:id="rId9"/><sheet name="b" sheetId="1" r:id="rId1"/></sheets></workbook>'
    const rels = '<Relationships><Relationship Id="rId1" Type="…/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId9" Type="…/worksheet" Target="/xl/worksheets/sheet3.xml"/><Relationship Id="rId4" Type="…/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
    expect(bookParts(wb, rels)).toEqual({ sheet: 'xl/worksheets/sheet3.xml', sharedStrings: 'xl/sharedStrings.xml', styles: null, date1904: true })
    expect(columnName(16384)).toBe('XFD')
  })

  it('lists a zip’s parts with their declared sizes, and refuses what is not a zip', async () => {
    const book = new ExcelJS.Workbook()
    book.addWorksheet('名册').addRow(['姓名'])
    const bytes = new Uint8Array(await book.xlsx.writeBuffer())
    const entries = zipDirectory(bytes)
    const sheet = entries.find((e) => e.name === 'xl/worksheets/sheet1.xml')!
    expect(sheet).toMatchObject({ method: 8, encrypted: false })
    const xml = inflateRawSync(entryData(bytes, sheet)).toString('utf8')
    expect(xml.length).toBe(sheet.size)
    expect(() => zipDirectory(new TextEncoder().encode('姓名,手机号\n'.repeat(10)))).toThrow(ZipError)
    expect(() => zipDirectory(bytes, 3)).toThrow(ZipError)
  })
})
