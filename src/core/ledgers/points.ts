/**
 * 积分台账: every ledger line (append-only: a correction is its own line)
 * and each member's total. Sorted by name and date — a record to check, not
 * a ranking.
 */
import { POINTS_SOURCE_LABELS, type PointsEntry } from '../schemas/points'
import { dateText, type Row, type Sheet } from './model'

export type LedgerLine = Pick<PointsEntry, 'memberId' | 'key' | 'delta' | 'reason' | 'sourceType' | 'at' | 'seq' | 'createdBy'>

/**
 * Whether each line is 加分 or 减分: as its key's first line was. A correction
 * or a withdrawal (撤销) belongs with what it corrects — taking back a +2 for
 * attending lowers 加分, it is no deduction; giving back a −2 for an absence
 * later excused lowers 减分.
 */
function sidesOf(lines: readonly LedgerLine[]): Map<string, 'plus' | 'minus'> {
  const first = new Map<string, LedgerLine>()
  for (const l of lines) {
    const f = first.get(l.key)
    if (!f || l.seq < f.seq) first.set(l.key, l)
  }
  return new Map([...first].map(([k, l]) => [k, l.delta >= 0 ? 'plus' : 'minus']))
}


export interface PointsLedgerInput {
  branches: { name: string; members: { _id: string; name: string }[]; lines: LedgerLine[] }[]
  title: string
}

const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name, 'zh-Hans-CN')

export function pointsSheets(input: PointsLedgerInput): Sheet[] {
  const withBranch = input.branches.length > 1
  const totals: Row[] = []
  const lines: Row[] = []
  for (const b of input.branches) {
    const names = new Map(b.members.map((m) => [m._id, m.name]))
    const sum = new Map<string, { plus: number; minus: number; n: number }>()
    const sides = sidesOf(b.lines)
    for (const l of b.lines) {
      const s = sum.get(l.memberId) ?? { plus: 0, minus: 0, n: 0 }
      if (sides.get(l.key) === 'plus') s.plus += l.delta
      else s.minus += l.delta
      s.n++
      sum.set(l.memberId, s)
    }
    for (const m of [...b.members].sort(byName)) {
      const s = sum.get(m._id) ?? { plus: 0, minus: 0, n: 0 }
      totals.push([...(withBranch ? [b.name] : []), m.name, s.plus, s.minus, s.plus + s.minus, s.n])
    }
    // Collate the names once, then sort the lines by number: a Chinese collation per comparison over
    // a 党委's year (600k lines) costs seconds.
    const people = [...b.members].sort(byName)
    const order = new Map(people.map((m, i) => [m._id, i]))
    const rank = (id: string) => order.get(id) ?? people.length
    const sorted = [...b.lines].sort((x, y) => rank(x.memberId) - rank(y.memberId) || x.at - y.at || x.seq - y.seq)
    for (const l of sorted) {
      lines.push([
        ...(withBranch ? [b.name] : []),
        names.get(l.memberId) ?? '（已转出）',
        dateText(l.at),
        l.reason,
        l.delta,
        POINTS_SOURCE_LABELS[l.sourceType] ?? l.sourceType,
        l.seq > 0 ? '更正' : ''
      ])
    }
  }
  const branchCol = withBranch ? [{ header: '支部', width: 20 }] : []
  return [
    {
      name: '积分汇总',
      title: input.title,
      columns: [...branchCol, { header: '姓名', width: 12 }, { header: '加分', kind: 'int' }, { header: '减分', kind: 'int' }, { header: '合计', kind: 'int' }, { header: '记录条数', kind: 'int' }],
      rows: totals,
      notes: ['合计 = 加分 + 减分（减分为负数）。更正和撤销计入原来那一项：撤销一次加分减少加分，撤销一次扣分减少减分。每一分的来由见“积分明细”。']
    },
    {
      name: '积分明细',
      columns: [...branchCol, { header: '姓名', width: 12 }, { header: '日期', width: 12 }, { header: '事项', width: 40 }, { header: '分值', kind: 'int' }, { header: '来源', width: 10 }, { header: '更正', width: 6 }],
      rows: lines,
      notes: ['积分记录只增不改：事实变化时（如补批请假）另记一条“更正”。']
    }
  ]
}
