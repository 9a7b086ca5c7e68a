/**
 * The columns of a roster, defined once: the reader (roster-rows.ts) maps a
 * file's headers with these names and aliases, and the template an admin
 * downloads is written from the same list, so the two cannot drift apart.
 * No imports beyond types: the import page reads the list too, in the
 * secretary subpackage.
 */
import type { Workbook } from '../ledgers/model'

export type Field = 'name' | 'phone' | 'employeeNo' | 'branch' | 'group' | 'rank' | 'retired' | 'leadingCadre' | 'birth' | 'exempt' | 'joined'

export interface RosterColumn {
  field: Field
  /** The header the template writes (and the first name the reader knows). */
  header: string
  /** Other headers that mean the same column in a 党委's own spreadsheet. */
  aliases: readonly string[]
  /** 必填: every row; 二选一: phone or employee number; 可不填: optional. */
  need: '必填' | '二选一' | '可不填'
  /** The template's example row. */
  example: string
  /** What to enter, as the template's 填写说明 says it. */
  hint: string
}

export const ROSTER_COLUMNS: readonly RosterColumn[] = [
  { field: 'name', header: '姓名', aliases: ['党员姓名', '名字'], need: '必填', example: '张三', hint: '党员的姓名' },
  { field: 'phone', header: '手机号', aliases: ['手机', '手机号码', '联系电话', '电话'], need: '二选一', example: '13800138000', hint: '11位手机号；手机号和工号至少填一个' },
  { field: 'employeeNo', header: '工号', aliases: ['职工号', '人员编号', '员工编号', '编号'], need: '二选一', example: '', hint: '字母和数字，没有可空着' },
  { field: 'branch', header: '支部', aliases: ['所在支部', '党支部', '所在党支部', '支部名称'], need: '必填', example: '第一党支部', hint: '和组织管理中的支部名称一致' },
  { field: 'group', header: '党小组', aliases: ['小组', '所在党小组'], need: '可不填', example: '第一党小组', hint: '该支部已有的党小组名称' },
  { field: 'rank', header: '职级', aliases: ['级别', '职务级别', '职级职务'], need: '可不填', example: '一般工作人员', hint: '“一般工作人员”或“副科级以上”' },
  { field: 'retired', header: '是否离退休', aliases: ['离退休', '是否退休'], need: '可不填', example: '否', hint: '“是”或“否”' },
  { field: 'leadingCadre', header: '是否领导干部', aliases: ['领导干部'], need: '可不填', example: '否', hint: '“是”或“否”' },
  { field: 'birth', header: '出生年份', aliases: ['出生年月', '出生日期', '出生年'], need: '可不填', example: '1968', hint: '如 1958 或 1958-03' },
  { field: 'exempt', header: '免除原因', aliases: ['免考核原因', '不计定额原因', '免于考核原因'], need: '可不填', example: '', hint: '“年龄较大”“长期病休”“行动不便”或“其他”，不免除就空着' },
  // Not 入党日期: joining the Party is not joining this branch.
  { field: 'joined', header: '加入支部日期', aliases: ['加入支部时间', '入支部日期', '转入支部日期'], need: '可不填', example: '2026-03-01', hint: '如 2026-03-01，不填就从导入这天算起' }
]

export const TEMPLATE_FILE_NAME = '名册导入模板.xlsx'

/** The example row as the template writes it, one cell per column. */
export const TEMPLATE_EXAMPLE: readonly string[] = ROSTER_COLUMNS.map((c) => c.example)

/** The template: the header row and one example row on the first sheet (the one the import reads), the 说明 on a second. */
export function rosterTemplate(): Workbook {
  return {
    fileName: TEMPLATE_FILE_NAME,
    sheets: [
      {
        name: '名册',
        columns: ROSTER_COLUMNS.map((c) => ({ header: c.header, width: c.field === 'branch' || c.field === 'exempt' ? 16 : 12, kind: 'text' as const })),
        rows: [[...TEMPLATE_EXAMPLE]]
      },
      {
        name: '填写说明',
        columns: [{ header: '列名', width: 14 }, { header: '是否必填', width: 10 }, { header: '怎么填', width: 44 }],
        rows: ROSTER_COLUMNS.map((c) => [c.header, c.need, c.hint]),
        notes: [
          '第一行是列名，请不要改动；从第二行起每行一位党员。',
          '第二行“张三”是示例，请删掉后再填写。',
          '手机号请设为“文本”格式，以免 Excel 显示成科学计数法。',
          '先“检查”，没有问题再“确认导入”；同一份名册导入两次不会重复。'
        ]
      }
    ]
  }
}

/** `第5行` — the one way a roster message names its line, so errors can be put in line order. */
export const atLine = (line: number) => `第${line}行`

function lineOf(message: string): number {
  const m = /^第(\d+)行/.exec(message)
  return m ? Number(m[1]) : 0
}

/**
 * Errors as a person fixes a file, top to bottom: the reader and the plan
 * find theirs in separate passes, and a row's own mistakes come before its
 * place in the 党委 is checked. Messages about the whole file (no line) come
 * first; the order within a line is kept.
 */
export function inLineOrder(errors: readonly string[]): string[] {
  return errors
    .map((e, i) => ({ e, i, line: lineOf(e) }))
    .sort((a, b) => a.line - b.line || a.i - b.i)
    .map((x) => x.e)
}
