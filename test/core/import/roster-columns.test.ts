/**
 * One column list for the template and the reader: the template's header row
 * is exactly what the reader maps, its example is recognised as an example,
 * and a file's errors are put in line order whichever pass found them.
 */
import { inLineOrder, ROSTER_COLUMNS, rosterTemplate, TEMPLATE_EXAMPLE } from '../../../src/core/import/roster-columns'
import { planRosterImport } from '../../../src/core/import/roster-plan'
import { mapHeaders, readRoster } from '../../../src/core/import/roster-rows'
import { TEST_START } from '../../helpers/clock'

const NOW = TEST_START

describe('the roster template', () => {
  const book = rosterTemplate()
  const [sheet, notes] = book.sheets
  const header = sheet.columns.map((c) => c.header)

  it('has every column the reader knows, 加入支部日期 included, and the reader maps each one', () => {
    expect(header).toContain('加入支部日期')
    const mapped = mapHeaders(header)
    expect(mapped.ok && mapped.map.unknown).toEqual([])
    expect(mapped.ok && Object.keys(mapped.map.columns).sort()).toEqual(ROSTER_COLUMNS.map((c) => c.field).sort())
  })

  it('puts one example row under the header, which an import refuses as the example, naming its line', () => {
    expect(sheet.rows).toEqual([TEMPLATE_EXAMPLE])
    const read = readRoster([header, [...TEMPLATE_EXAMPLE]], NOW)
    expect(read.rows).toEqual([])
    expect(read.errors).toEqual(['第2行：这是模板里的示例（张三），请删掉这一行后再导入'])
  })

  it('with the example replaced by a real person, the same row reads cleanly', () => {
    const row = TEMPLATE_EXAMPLE.map((v, i) => (i === 0 ? '李红' : i === 1 ? '13900139000' : v))
    const read = readRoster([header, row], NOW)
    expect(read.errors).toEqual([])
    expect(read.rows[0]).toMatchObject({ name: '李红', phone: '13900139000', branchName: '第一党支部', groupName: '第一党小组', rank: 'staff', birthYear: 1968 })
    expect(read.rows[0].joinedAt).not.toBeNull()
  })

  it('explains each column on a second sheet, so the first sheet stays the roster the import reads', () => {
    expect(notes.name).toBe('填写说明')
    expect(notes.rows.map((r) => r[0])).toEqual(header)
    expect(notes.rows.find((r) => r[0] === '姓名')?.[1]).toBe('必填')
    expect(notes.rows.find((r) => r[0] === '加入支部日期')?.[2]).toContain('不填就从导入这天算起')
  })
})

describe('errors in line order', () => {
  it('sorts by line, keeps the order within a line, and puts whole-file messages first', () => {
    expect(inLineOrder(['第9行：b', '第2行：a1', '文件是空的', '第10行：c', '第2行：a2'])).toEqual(['文件是空的', '第2行：a1', '第2行：a2', '第9行：b', '第10行：c'])
  })

  it('merges the reader’s and the plan’s errors top to bottom', () => {
    const header = ['姓名', '手机号', '支部']
    const read = readRoster([
      header,
      ['甲', '13800000001', '第九党支部'],
      ['乙', '13800000002', '第一党支部'],
      ['', '13800000003', '第一党支部'],
      ['丙', '13800000004', '第九党支部'],
      ['丁', '138', '第一党支部']
    ], NOW)
    const plan = planRosterImport({ rows: read.rows, branches: [{ _id: 'b1', name: '第一党支部', closed: false, groups: [] }], existing: [], inScope: () => true })
    // Each pass alone is in order; joined they are not, which is what the preview used to show.
    expect([...read.errors, ...plan.errors].map((e) => e.slice(0, 3))).toEqual(['第4行', '第6行', '第2行', '第5行'])
    expect(inLineOrder([...read.errors, ...plan.errors]).map((e) => e.slice(0, 3))).toEqual(['第2行', '第4行', '第5行', '第6行'])
  })
})
