import { parseCsv, TableTooLargeError } from '../../../src/core/import/csv'
import { planRosterImport, type Existing, type PlanBranch } from '../../../src/core/import/roster-plan'
import { birthYearOf, joinDateOf, mapHeaders, rankOf, readRoster, rosterMemberKey, type RosterRow } from '../../../src/core/import/roster-rows'
import { TEST_START } from '../../helpers/clock'

describe('parseCsv', () => {
  it('reads quotes, doubled quotes, line breaks inside quotes, CRLF and a BOM', () => {
    const text = '\ufeff姓名,备注\r\n"张三","他说""好"""\r\n李四,"两行\n备注"\r\n\r\n'
    expect(parseCsv(text)).toEqual([
      ['姓名', '备注'],
      ['张三', '他说"好"'],
      ['李四', '两行\n备注']
    ])
  })
  it('takes tab-separated text and a lone CR', () => {
    expect(parseCsv('姓名\t手机号\r王五\t13800138000')).toEqual([
      ['姓名', '手机号'],
      ['王五', '13800138000']
    ])
  })
  it('refuses a table that is too large', () => {
    expect(() => parseCsv('a\n'.repeat(6000))).toThrow(TableTooLargeError)
    expect(() => parseCsv('x'.repeat(3 * 1024 * 1024))).toThrow(TableTooLargeError)
  })
})

describe('headers and values', () => {
  it('recognise the usual Chinese headers, tolerant of spaces and notes in brackets', () => {
    const r = mapHeaders(['姓 名', '手机号（必填）', '所在支部', '职级', '是否离退休', '备注'])
    expect(r.ok && r.map.columns).toEqual({ name: 0, phone: 1, branch: 2, rank: 3, retired: 4 })
    expect(r.ok && r.map.unknown).toEqual(['备注'])
    expect(mapHeaders(['手机号', '支部']).ok).toBe(false)
    expect(mapHeaders(['姓名', '支部'])).toEqual({ ok: false, message: expect.stringContaining('手机号') })
  })
  it('read ranks and birth years the way people write them', () => {
    expect(['', '一般工作人员', '科员'].map(rankOf)).toEqual(['staff', 'staff', 'staff'])
    expect(['副科级', '正处级', '副科级以上', '领导干部'].map(rankOf)).toEqual(Array(4).fill('deputy_section_plus'))
    expect(rankOf('厨师长')).toBeNull()
    expect(['1958', '1958-03', '1958年3月', '1958/3/1', '19580301', '21186', ''].map(birthYearOf)).toEqual([1958, 1958, 1958, 1958, 1958, 1958, null])
    expect(birthYearOf('五八年')).toBe('bad')
  })
})

/** The test clock's day (test/helpers/clock.ts): 2026-11-20 10:00 in Shanghai. */
const NOW = TEST_START
const HEADER = ['姓名', '手机号', '工号', '支部', '党小组', '职级', '是否离退休', '是否领导干部', '出生年份', '免除原因']

describe('readRoster', () => {
  it('gives each row’s problems with its line, and drops blank rows', () => {
    const out = readRoster([
      HEADER,
      ['张建华', '138 0013 8000', '', '第一党支部', '', '一般工作人员', '否', '否', '1975', ''],
      ['', '', '', '', '', '', '', '', '', ''],
      ['', '13800138001', '', '第一党支部', '', '', '', '', '', ''],
      ['李明', '1380013', '', '第一党支部', '', '', '', '', '', ''],
      ['王芳', '', '', '第一党支部', '', '', '', '', '', ''],
      ['赵强', '+8613800138002', '', '', '', '厨师长', '也许', '', '五八年', '不想写'],
      ['张建华', '13800138000', '', '第二党支部', '', '', '', '', '', '']
    ], NOW)
    expect(out.rows.map((r) => [r.line, r.name, r.phone])).toEqual([[2, '张建华', '13800138000']])
    expect(out.errors).toEqual([
      '第4行：没有填姓名',
      '第5行：手机号应为11位数字',
      '第6行：手机号和工号至少要填一个',
      '第7行：没有填所在支部',
      '第7行：看不懂职级“厨师长”，请写“一般工作人员”或“副科级以上”',
      '第7行：“是否离退休”请填“是”或“否”',
      '第7行：出生年份看不懂，请写成 1958 或 1958-03',
      '第7行：免除原因请写“年龄较大”“长期病休”“行动不便”或“其他”',
      '第8行：和第2行是同一个人（手机号相同）'
    ])
  })
  it('keys members by phone, else employee number', () => {
    expect(rosterMemberKey({ phone: '13800138000', employeeNo: 'E1' })).toBe('phone:13800138000')
    expect(rosterMemberKey({ phone: null, employeeNo: 'E1' })).toBe('emp:E1')
  })
})

const BRANCHES: PlanBranch[] = [
  { _id: 'br_1', name: '第一党支部', closed: false, groups: [] },
  { _id: 'br_3', name: '第三党支部（离退休）', closed: false, groups: [{ _id: 'br_3_g1', name: '第一党小组' }] },
  { _id: 'br_old', name: '老支部', closed: true, groups: [] }
]
const row = (over: Partial<RosterRow>): RosterRow => ({
  line: 2, name: '张建华', phone: '13800138000', employeeNo: null, branchName: '第一党支部', groupName: null, rank: 'staff',
  retired: false, leadingCadre: false, birthYear: null, exemptReason: null, joinedAt: null,
  given: { rank: true, retired: true, leadingCadre: true, birthYear: true, exempt: true, group: true, joinedAt: false }, ...over
})
const inScope = (id: string) => id.startsWith('br_')

/** Applies a plan to the existing members as the import would (test stand-in for the function). */
function apply(existing: Existing[], rows: RosterRow[], plan: ReturnType<typeof planRosterImport>): Existing[] {
  const out = [...existing]
  plan.rows.forEach((p) => {
    const r = rows.find((x) => x.line === p.line)!
    const m: Existing = { _id: p.memberId ?? `m_${p.line}`, name: r.name, branchId: p.branchId, groupId: r.groupName || p.memberId === undefined ? p.groupId : p.groupId, rank: r.rank, retired: r.retired, leadingCadre: r.leadingCadre, exempt: r.exemptReason ? { reason: r.exemptReason, since: 1 } : null, active: true, phone: r.phone, employeeNo: r.employeeNo, birthYear: r.birthYear, rosterKey: p.key }
    const i = out.findIndex((x) => x._id === m._id)
    if (i >= 0) out[i] = { ...out[i], ...m, exempt: out[i].exempt?.reason === r.exemptReason ? out[i].exempt : m.exempt }
    else out.push(m)
  })
  return out
}

describe('planRosterImport', () => {
  it('creates, updates, transfers and leaves alone; a second run changes nothing', () => {
    const rows = [
      row({ line: 2 }),
      row({ line: 3, name: '李明', phone: '13800138001', rank: 'deputy_section_plus' }),
      row({ line: 4, name: '王芳', phone: null, employeeNo: 'E3001', branchName: '第三 党支部（离退休）', groupName: '第一党小组', retired: true, exemptReason: 'age' })
    ]
    const existing: Existing[] = [
      { _id: 'm_li', name: '李明', branchId: 'br_1', groupId: null, rank: 'staff', retired: false, leadingCadre: false, exempt: null, active: true, phone: '13800138001' },
      { _id: 'm_wang', name: '王芳', branchId: 'br_1', groupId: null, rank: 'staff', retired: true, leadingCadre: false, exempt: { reason: 'age', since: 5 }, active: true, employeeNo: 'E3001' }
    ]
    const plan = planRosterImport({ rows, branches: BRANCHES, existing, inScope })
    expect(plan.ok).toBe(true)
    expect(plan.rows.map((r) => [r.line, r.action, r.changes])).toEqual([
      [2, 'create', []],
      [3, 'update', ['职级']],
      [4, 'transfer', ['所在支部', '党小组']]
    ])
    expect(plan.counts).toEqual({ create: 1, update: 1, transfer: 1, unchanged: 0 })
    const after = apply(existing, rows, plan)
    const again = planRosterImport({ rows, branches: BRANCHES, existing: after, inScope })
    expect(again.rows.map((r) => r.action)).toEqual(['unchanged', 'unchanged', 'unchanged'])
    // The exemption kept its date.
    expect(after.find((m) => m._id === 'm_wang')!.exempt).toEqual({ reason: 'age', since: 5 })
  })

  it('a column the file lacks changes nothing: names and phones alone keep ranks and exemptions', () => {
    const existing: Existing[] = [
      { _id: 'm_li', name: '李明', branchId: 'br_1', groupId: null, rank: 'deputy_section_plus', retired: true, leadingCadre: true, exempt: { reason: 'age', since: 5 }, active: true, phone: '13800138001' }
    ]
    const read = readRoster([['姓名', '手机号', '支部'], ['李明', '13800138001', '第一党支部']], NOW)
    expect(read.rows[0].given).toEqual({ rank: false, retired: false, leadingCadre: false, birthYear: false, exempt: false, group: false, joinedAt: false })
    const plan = planRosterImport({ rows: read.rows, branches: BRANCHES, existing, inScope })
    expect(plan.rows.map((r) => [r.action, r.changes])).toEqual([['unchanged', []]])
  })

  it('explains a phone Excel turned into scientific notation', () => {
    expect(readRoster([['姓名', '手机号', '支部'], ['李明', '1.38001E+10', '第一党支部']], NOW).errors).toEqual(['第2行：手机号被 Excel 显示成了科学计数法，请把这一列设为“文本”后重新保存'])
  })

  it('is all or nothing: unknown, closed or ambiguous branches, missing groups, other organisations’ members', () => {
    const branches = [...BRANCHES, { _id: 'br_dup', name: '第一党支部', closed: false, groups: [] }]
    const existing: Existing[] = [{ _id: 'm_x', name: '外单位', branchId: 'other_br', groupId: null, rank: 'staff', retired: false, leadingCadre: false, exempt: null, active: true, phone: '13900000000' }]
    const plan = planRosterImport({
      rows: [
        row({ line: 2, branchName: '第九党支部' }),
        row({ line: 3, branchName: '老支部', phone: '13800000003' }),
        row({ line: 4, phone: '13800000004' }),
        row({ line: 5, branchName: '第三党支部（离退休）', groupName: '第九党小组', phone: '13800000005' }),
        row({ line: 6, branchName: '第三党支部（离退休）', phone: '13900000000' })
      ],
      branches,
      existing,
      inScope
    })
    expect(plan.ok).toBe(false)
    expect(plan.errors).toEqual([
      '第2行：没有找到支部“第九党支部”，请与组织管理中的名称一致',
      '第3行：支部“老支部”已撤销',
      '第4行：有两个叫“第一党支部”的支部，请先在组织管理里把名称改得能区分',
      '第5行：第三党支部（离退休）没有“第九党小组”这个党小组',
      '第6行：这个手机号已经属于其他单位的党员，请核对'
    ])
    expect(plan.errors.join('')).not.toContain('other_br')
  })
})

describe('加入支部日期', () => {
  const march1 = Date.parse('2026-02-28T16:00:00Z') // 2026-03-01 00:00 in Shanghai
  it('reads the ways a date is written, and an Excel date cell, as the Shanghai day', () => {
    for (const v of ['2026-03-01', '2026/3/1', '2026.3.1', '2026年3月1日', '2026 年 3 月 1 日', '20260301', '2026-03-01 00:00:00', '46082']) expect([v, joinDateOf(v)]).toEqual([v, march1])
    expect(joinDateOf('')).toBeNull()
    for (const v of ['2026-02-30', '三月一日', '2026-13-01', '03/01/2026', '1850-01-01', '2026-3']) expect([v, joinDateOf(v)]).toEqual([v, 'bad'])
  })

  const table = (dates: string[]) => [['姓名', '手机号', '支部', '加入支部日期（选填）'], ...dates.map((d, i) => [`党员${i}`, `1380000000${i}`, '第一党支部', d])]
  it('is optional; an unreadable or future date is an error naming its line', () => {
    const out = readRoster(table(['2026-03-01', '', '下个月', '2026-12-01', '2026-11-20']), NOW)
    expect(out.errors).toEqual(['第4行：加入支部日期“下个月”看不懂，请写成 2026-03-01 或 2026年3月1日', '第5行：加入支部日期 2026-12-01 还没有到，请核对'])
    expect(out.rows.map((r) => [r.line, r.joinedAt])).toEqual([[2, march1], [3, null], [6, Date.parse('2026-11-19T16:00:00Z')]])
    expect(out.rows[0].given.joinedAt).toBe(true)
    expect(readRoster([['姓名', '手机号', '支部', '入党日期'], ['李明', '13800138001', '第一党支部', '1990-07-01']], NOW).rows[0]).toMatchObject({ joinedAt: null, given: { joinedAt: false } })
  })

  it('sets a new member’s joinedAt and corrects one still in their first branch; a transfer keeps its own instant', () => {
    const rows = [row({ line: 2, joinedAt: march1 }), row({ line: 3, phone: '13800138001', joinedAt: march1 }), row({ line: 4, phone: '13800138002', joinedAt: march1 })]
    const existing: Existing[] = [
      { _id: 'm_li', name: '张建华', branchId: 'br_1', groupId: null, rank: 'staff', retired: false, leadingCadre: false, exempt: null, active: true, phone: '13800138001', joinedAt: NOW - 86400000 },
      { _id: 'm_wu', name: '张建华', branchId: 'br_3', groupId: null, rank: 'staff', retired: false, leadingCadre: false, exempt: null, active: true, phone: '13800138002', joinedAt: NOW - 86400000 }
    ]
    const plan = planRosterImport({ rows, branches: BRANCHES, existing, inScope })
    expect(plan.rows.map((r) => [r.action, r.changes])).toEqual([['create', []], ['update', ['加入支部日期']], ['transfer', ['所在支部']]])
    const same = planRosterImport({ rows, branches: BRANCHES, existing: [{ ...existing[0], joinedAt: march1 }], inScope })
    expect(same.rows[1].action).toBe('unchanged')
  })
})
