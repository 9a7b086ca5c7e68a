/**
 * org.importRoster: an admin brings a branch roster in from a spreadsheet.
 * The preview (commit: false) says per row what would happen and lists
 * every error; the import (commit: true) re-reads and re-plans the same
 * file, writes nothing when any row is wrong, and otherwise writes member by
 * member (see writeRows): no transaction holds more than one member, as
 * CloudBase's 30 s transaction limit requires at the size of a 党委. Members
 * are keyed by phone / employee number, so importing the same file again
 * changes nothing, and importing it again after an interrupted import
 * finishes it; a known member in another branch of the same 党委 is
 * transferred (history kept).
 */
import { AppError } from '../../../src/core/errors'
import type { OrgImportRosterInput, OrgRosterTemplateInput } from '../../../src/core/functions/org-import'
import { deriveId } from '../../../src/core/ids'
import { joinDateApplies, planRosterImport, type Existing, type PlanBranch, type PlannedRow } from '../../../src/core/import/roster-plan'
import { TOO_BIG } from '../../../src/core/import/limits'
import { inLineOrder, rosterTemplate } from '../../../src/core/import/roster-columns'
import { readRoster, rosterMemberKey, type RosterRow } from '../../../src/core/import/roster-rows'
import { transferChanges } from '../../../src/core/org/membership'
import { periodBounds, periodKeysOf } from '../../../src/core/period'
import { MemberSchema, type Member } from '../../../src/core/schemas/member'
import { OrgSchema, type Org } from '../../../src/core/schemas/org'
import type { z } from '../../../src/core/zod'
import { makeAuditEntry } from '../../_shared/audit'
import { isAdminOver, requireMember } from '../../_shared/caller'
import { addIfAbsent } from '../../_shared/db'
import { countJoinedMembers } from '../../_shared/joined'
import { eachLimit } from '../../_shared/each-limit'
import { fetchAll } from '../../_shared/paging'
import { reconcileBranch } from '../../_shared/reconcile'
import { FILE_TOO_LARGE, type Runtime } from '../../_shared/runtime'
import { readTable, ROSTER_MAX_BYTES, writeWorkbook, XLSX_TYPE } from '../../_shared/workbook'
import { transferData } from './member-admin'

type Input = z.infer<typeof OrgImportRosterInput>
type TemplateInput = z.infer<typeof OrgRosterTemplateInput>
const REFUSED = '只有党委管理员可以导入名册'
/** A preview lists this many rows; the counts cover all of them. */
const PREVIEW_ROWS = 500
/** Members written at once: ~10 ms a call on CloudBase, well under a basic plan's 20 connections. */
const PARALLEL_WRITES = 8

async function fileBytes(rt: Runtime, input: Input): Promise<Uint8Array> {
  if (input.content !== undefined) {
    const bytes = Buffer.from(input.content, 'base64')
    if (bytes.length > ROSTER_MAX_BYTES) throw new AppError('INVALID_INPUT', TOO_BIG)
    return bytes
  }
  try {
    return await rt.files.read(input.fileId!, ROSTER_MAX_BYTES)
  } catch (e) {
    throw e instanceof AppError && e.details?.reason === FILE_TOO_LARGE ? new AppError('INVALID_INPUT', TOO_BIG) : e
  }
}

/** Members already known by any of the rows' keys, wherever they are (scope is judged in the plan). */
async function knownMembers(rt: Runtime, rows: readonly RosterRow[]): Promise<Member[]> {
  const _ = rt.db.command
  const phones = rows.flatMap((r) => (r.phone ? [r.phone] : []))
  const emps = rows.flatMap((r) => (r.employeeNo ? [r.employeeNo] : []))
  const keys = rows.map(rosterMemberKey)
  const found = new Map<string, Member>()
  const chunks = <T>(xs: T[]) => Array.from({ length: Math.ceil(xs.length / 500) }, (_v, i) => xs.slice(i * 500, i * 500 + 500))
  const queries = [
    ...chunks(phones).map((c) => ({ phone: _.in(c) })),
    ...chunks(emps).map((c) => ({ employeeNo: _.in(c) })),
    ...chunks(keys).map((c) => ({ rosterKey: _.in(c) }))
  ]
  for (const q of queries) for (const d of await fetchAll(rt.db.collection('members').where(q), { cap: 10000 })) found.set(String(d._id), MemberSchema.parse(d))
  return [...found.values()]
}

async function branchesUnder(rt: Runtime, scope: Org): Promise<{ branches: PlanBranch[]; orgs: Map<string, Org> }> {
  const docs = (await fetchAll(rt.db.collection('orgs').where({ path: scope._id }), { cap: 20000 })).map((d) => OrgSchema.parse(d))
  const orgs = new Map(docs.map((o) => [o._id, o]))
  const branches = docs
    .filter((o) => o.type === 'branch')
    .map((b) => ({ _id: b._id, name: b.name, closed: b.closed, groups: docs.filter((g) => g.type === 'group' && g.parentId === b._id && !g.closed).map((g) => ({ _id: g._id, name: g.name })) }))
  return { branches, orgs }
}

export async function importRosterAction(rt: Runtime, input: Input) {
  const admin = await requireMember(rt)
  const { data } = await rt.db.collection('orgs').doc(input.orgId).get()
  const scope = data ? OrgSchema.parse(data) : null
  if (!scope || !isAdminOver(admin, scope)) throw new AppError('FORBIDDEN', REFUSED)
  const table = await readTable(await fileBytes(rt, input), input.fileName)
  const read = readRoster(table, rt.clock.now())
  const { branches, orgs } = await branchesUnder(rt, scope)
  const existing = await knownMembers(rt, read.rows)
  const plan = planRosterImport({ rows: read.rows, branches, existing: existing as Existing[], inScope: (id) => orgs.get(id)?.type === 'branch' })
  // The reader and the plan each find theirs in a pass of their own: shown as a person fixes the file, top to bottom.
  const errors = inLineOrder([...read.errors, ...plan.errors])
  const summary = { counts: plan.counts, errors: errors.slice(0, 200), errorCount: errors.length, unknownColumns: read.unknownColumns, rows: plan.rows.slice(0, PREVIEW_ROWS), total: plan.rows.length }
  if (!input.commit) return { ...summary, committed: false }
  if (errors.length > 0) throw new AppError('INVALID_INPUT', `名册里有 ${errors.length} 处需要改正，改好后再导入；这次什么都没有写入`, { errors: errors.slice(0, 50) })

  const written = await writeRows(rt, { scope, rows: read.rows, plan: plan.rows, orgs, existing })
  // Last, so an import that was cut short leaves no record of an import that did not finish.
  await rt.db.collection('audit').add({
    data: makeAuditEntry({ actor: admin._id, action: 'member.import', target: { type: 'org', id: scope._id }, orgId: scope._id, at: rt.clock.now(), detail: { file: input.fileName.slice(0, 100), ...plan.counts, written } })
  })
  return { ...summary, committed: true }
}

/** org.rosterTemplate: the .xlsx to fill in, written from the same column list the import reads. */
export async function rosterTemplateAction(rt: Runtime, input: TemplateInput) {
  const admin = await requireMember(rt)
  const { data } = await rt.db.collection('orgs').doc(input.orgId).get()
  const scope = data ? OrgSchema.parse(data) : null
  if (!scope || !isAdminOver(admin, scope)) throw new AppError('FORBIDDEN', REFUSED)
  const book = rosterTemplate()
  const bytes = await writeWorkbook(book)
  const { url, expiresAt } = await rt.files.put({ name: book.fileName, bytes, contentType: XLSX_TYPE })
  return { file: { url, fileName: book.fileName, expiresAt, bytes: bytes.length, rows: 1 } }
}

interface WriteContext {
  scope: Org
  rows: readonly RosterRow[]
  plan: readonly PlannedRow[]
  orgs: Map<string, Org>
  existing: readonly Member[]
}

/**
 * Writes the planned rows one member at a time, several at once. Each step
 * is one document (a transfer reads it again in a 2-operation transaction),
 * and each is idempotent: a new member's id derives from the 党委 and the
 * row's key, so a step repeated finds its member already there. An import
 * cut short is completed by importing the same file again: the new plan sees
 * what was written as unchanged and writes only the rest.
 */
async function writeRows(rt: Runtime, ctx: WriteContext): Promise<number> {
  const now = rt.clock.now()
  const byId = new Map(ctx.existing.map((m) => [m._id, m]))
  const rowsByLine = new Map(ctx.rows.map((r) => [r.line, r]))
  const _ = rt.db.command
  let written = 0
  /** Members new to a branch (created, or transferred in): counted in its current figures once written. */
  const created: Member[] = []
  /** Branches whose members' joinedAt moved before this month, with the earliest instant it moved to or from. */
  const backdated = new Map<string, number>()
  const monthStart = periodBounds(periodKeysOf(now).month).start
  const backdate = (branchId: string, ...at: number[]) => {
    const from = Math.min(...at)
    if (from < monthStart) backdated.set(branchId, Math.min(from, backdated.get(branchId) ?? from))
  }
  const step = async (p: PlannedRow) => {
    const r = rowsByLine.get(p.line)!
    const branch = ctx.orgs.get(p.branchId)!
    const g = r.given
    const fields = {
      name: r.name,
      // A column the file lacks leaves the stored value alone (a new member takes the default).
      ...(g.rank || p.action === 'create' ? { rank: r.rank } : {}),
      ...(g.retired || p.action === 'create' ? { retired: r.retired } : {}),
      ...(g.leadingCadre || p.action === 'create' ? { leadingCadre: r.leadingCadre } : {}),
      rosterKey: p.key,
      ...(r.phone ? { phone: r.phone } : {}),
      ...(r.employeeNo ? { employeeNo: r.employeeNo } : {}),
      ...(r.birthYear !== null ? { birthYear: r.birthYear } : {})
    }
    if (p.action === 'create') {
      const member: Member = MemberSchema.parse({
        _id: deriveId('m', ctx.scope._id, p.key),
        ...fields,
        openid: null,
        branchId: branch._id,
        groupId: p.groupId,
        orgPath: branch.path,
        roles: [],
        exempt: r.exemptReason ? { reason: r.exemptReason, since: now } : null,
        largeText: false,
        active: true,
        joinStatus: 'confirmed',
        joinedAt: r.joinedAt ?? now,
        createdAt: now
      })
      // Already there when this step ran before (an interrupted import, or the same file sent twice at once).
      if (await addIfAbsent(rt.db.collection('members'), member)) created.push(member)
      backdate(branch._id, member.joinedAt)
      written++
      return
    }
    const m = byId.get(p.memberId!)!
    const exempt = r.exemptReason ? (m.exempt?.reason === r.exemptReason ? m.exempt : { reason: r.exemptReason, since: now }) : null
    const data = {
      ...fields,
      active: true,
      ...(g.exempt ? { exempt: exempt ? _.set(exempt) : null } : {}),
      ...(g.group && r.groupName ? { groupId: p.groupId } : {}),
      ...(joinDateApplies(r, m, branch._id) ? { joinedAt: r.joinedAt } : {})
    }
    if (data.joinedAt !== undefined && data.joinedAt !== m.joinedAt) backdate(branch._id, m.joinedAt, data.joinedAt as number)
    if (p.action === 'update') {
      await rt.db.collection('members').doc(m._id).update({ data })
    } else {
      // The history a transfer appends is built from the member as stored now, so a repeated step adds nothing.
      let arrived: Member | null = null
      await rt.db.runTransaction(async (t) => {
        const ref = t.collection('members').doc(m._id)
        const fresh = MemberSchema.parse((await ref.get()).data)
        const change = fresh.branchId === branch._id ? null : transferChanges(fresh, branch, now, p.groupId)
        arrived = change ? { ...fresh, ...change } : null
        await ref.update({ data: { ...data, ...(change ? transferData(rt, change) : {}) } })
      })
      if (arrived) created.push(arrived)
    }
    written++
  }
  try {
    await eachLimit(ctx.plan.filter((p) => p.action !== 'unchanged'), PARALLEL_WRITES, step)
  } catch (err) {
    if (err instanceof AppError) throw err
    rt.log('error', 'org.importRoster: import cut short', { orgId: ctx.scope._id, written, error: err instanceof Error ? err.message : String(err) })
    throw new AppError('INTERNAL', `名册导入中断了（已写入 ${written} 人）。请再导入一次同一份文件，会接着写完，不会重复`)
  }
  // Listed now, members from now (joinedAt): in their branch's figures from this period on.
  await countJoinedMembers(rt, created, now)
  await rebuildBackdated(rt, ctx.orgs, backdated, now)
  return written
}

/**
 * A 加入支部日期 before this month puts members into periods whose figures
 * already exist (countJoinedMembers covers only the current ones): those
 * years of their branches are rebuilt from the facts now, not at the
 * nightly reconciliation. No branch has figures from before it was set up
 * here, so its first year bounds the work however old the date.
 */
async function rebuildBackdated(rt: Runtime, orgs: Map<string, Org>, backdated: Map<string, number>, now: number) {
  const year = Number(periodKeysOf(now).year)
  for (const [branchId, from] of backdated) {
    const branch = orgs.get(branchId)!
    const first = Math.max(Number(periodKeysOf(from).year), Number(periodKeysOf(branch.createdAt).year))
    for (let y = first; y <= year; y++) await reconcileBranch(rt, branch, y)
  }
}
