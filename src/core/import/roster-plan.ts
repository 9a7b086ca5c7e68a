/**
 * What importing a roster would do, decided before anything is written:
 * per row create, update (which fields), transfer (a known member in another
 * branch of the same scope) or unchanged — or an error. All or nothing: one
 * error and the import writes nothing. Planning against the result of the
 * import gives all-unchanged, which is what makes a re-import harmless.
 */
import type { Member } from '../schemas/member'
import { atLine } from './roster-columns'
import { rosterMemberKey, type RosterRow } from './roster-rows'

export interface PlanBranch {
  _id: string
  name: string
  closed: boolean
  groups: { _id: string; name: string }[]
}

export type Existing = Pick<Member, '_id' | 'name' | 'branchId' | 'groupId' | 'rank' | 'retired' | 'leadingCadre' | 'exempt' | 'active'> & {
  joinedAt?: number
  branchHistory?: readonly unknown[]
  phone?: string | null
  employeeNo?: string | null
  birthYear?: number | null
  rosterKey?: string
}

export type PlannedAction = 'create' | 'update' | 'transfer' | 'unchanged'

export interface PlannedRow {
  line: number
  key: string
  name: string
  action: PlannedAction
  branchId: string
  groupId: string | null
  memberId?: string
  /** Chinese labels of the fields that change (for an update / transfer). */
  changes: string[]
}

export interface ImportPlan {
  ok: boolean
  rows: PlannedRow[]
  errors: string[]
  counts: Record<PlannedAction, number>
}

const LABELS = { name: '姓名', rank: '职级', retired: '离退休', leadingCadre: '领导干部', birthYear: '出生年份', exempt: '免考核', groupId: '党小组', phone: '手机号', employeeNo: '工号', joinedAt: '加入支部日期' } as const

/**
 * Does the row's 加入支部日期 become the member's joinedAt? For a new member,
 * and for one still in the branch they first joined, staying there: a
 * transfer dates their arrival itself (history is kept from that instant).
 */
export function joinDateApplies(r: Pick<RosterRow, 'joinedAt'>, found: Pick<Existing, 'branchId' | 'branchHistory'> | null, branchId: string): boolean {
  return r.joinedAt !== null && (!found || (found.branchId === branchId && (found.branchHistory?.length ?? 0) === 0))
}

/** Branch names match without spaces: “第一 党支部” is 第一党支部. */
const clean = (s: string) => s.replace(/[\s\u3000]+/g, '')

export function planRosterImport(input: {
  rows: readonly RosterRow[]
  /** The branches under the admin's org (closed ones too, to say so). */
  branches: readonly PlanBranch[]
  /** Members found by the rows' keys, anywhere (the caller looked them up). */
  existing: readonly Existing[]
  /** Branch ids the admin administers. */
  inScope: (branchId: string) => boolean
}): ImportPlan {
  const byName = new Map<string, PlanBranch[]>()
  for (const b of input.branches) byName.set(clean(b.name), [...(byName.get(clean(b.name)) ?? []), b])
  const byKey = new Map<string, Existing>()
  for (const m of input.existing) {
    const keys = [m.rosterKey, m.phone ? `phone:${m.phone}` : null, m.employeeNo ? `emp:${m.employeeNo}` : null]
    for (const k of keys) if (k && !byKey.has(k)) byKey.set(k, m)
  }
  const rows: PlannedRow[] = []
  const errors: string[] = []
  for (const r of input.rows) {
    const at = atLine(r.line)
    const key = rosterMemberKey(r)
    const candidates = (byName.get(clean(r.branchName)) ?? []).filter((b) => !b.closed)
    if (candidates.length === 0) {
      const closed = (byName.get(clean(r.branchName)) ?? []).length > 0
      errors.push(closed ? `${at}：支部“${r.branchName}”已撤销` : `${at}：没有找到支部“${r.branchName}”，请与组织管理中的名称一致`)
      continue
    }
    if (candidates.length > 1) {
      errors.push(`${at}：有两个叫“${r.branchName}”的支部，请先在组织管理里把名称改得能区分`)
      continue
    }
    const branch = candidates[0]
    let groupId: string | null = null
    if (r.groupName) {
      const g = branch.groups.find((x) => clean(x.name) === clean(r.groupName!))
      if (!g) {
        errors.push(`${at}：${branch.name}没有“${r.groupName}”这个党小组`)
        continue
      }
      groupId = g._id
    }
    const found = byKey.get(key)
    if (found && !input.inScope(found.branchId)) {
      // Another organisation's member: refuse without naming where they are.
      errors.push(`${at}：这个${key.startsWith('phone:') ? '手机号' : '工号'}已经属于其他单位的党员，请核对`)
      continue
    }
    if (!found) {
      rows.push({ line: r.line, key, name: r.name, action: 'create', branchId: branch._id, groupId, changes: [] })
      continue
    }
    const changes: string[] = []
    const differs = (field: keyof typeof LABELS, a: unknown, b: unknown) => {
      if ((a ?? null) !== (b ?? null)) changes.push(LABELS[field])
    }
    // Only the columns the file has speak (see RosterRow.given).
    const g = r.given
    differs('name', found.name, r.name)
    if (g.rank) differs('rank', found.rank, r.rank)
    if (g.retired) differs('retired', found.retired, r.retired)
    if (g.leadingCadre) differs('leadingCadre', found.leadingCadre, r.leadingCadre)
    if (g.birthYear && r.birthYear !== null) differs('birthYear', found.birthYear, r.birthYear)
    // The same reason kept is no change (its start date must not churn).
    if (g.exempt) differs('exempt', found.exempt?.reason ?? null, r.exemptReason)
    if ((g.group && r.groupName) || found.branchId !== branch._id) differs('groupId', found.groupId, groupId)
    if (r.phone) differs('phone', found.phone, r.phone)
    if (r.employeeNo) differs('employeeNo', found.employeeNo, r.employeeNo)
    if (joinDateApplies(r, found, branch._id)) differs('joinedAt', found.joinedAt, r.joinedAt)
    if (!found.active) changes.push('恢复在册')
    const transfer = found.branchId !== branch._id
    const action: PlannedAction = transfer ? 'transfer' : changes.length > 0 ? 'update' : 'unchanged'
    rows.push({ line: r.line, key, name: r.name, action, branchId: branch._id, groupId, memberId: found._id, changes: transfer ? ['所在支部', ...changes] : changes })
  }
  const counts: Record<PlannedAction, number> = { create: 0, update: 0, transfer: 0, unchanged: 0 }
  for (const r of rows) counts[r.action]++
  return { ok: errors.length === 0, rows, errors, counts }
}
