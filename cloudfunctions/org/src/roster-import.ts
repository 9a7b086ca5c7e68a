/**
 * org.importRoster: an admin brings a branch roster in from a spreadsheet.
 * The preview (commit: false) says per row what would happen and lists
 * every error; the import (commit: true) re-reads and re-plans the same
 * file and writes all of it in one transaction, or nothing when any row is
 * wrong. Members are keyed by phone / employee number, so importing the same
 * file again changes nothing; a known member in another branch of the same
 * 党委 is transferred (history kept).
 */
import { AppError } from '../../../src/core/errors'
import type { OrgImportRosterInput } from '../../../src/core/functions/org-import'
import { deriveId } from '../../../src/core/ids'
import { planRosterImport, type Existing, type PlanBranch } from '../../../src/core/import/roster-plan'
import { readRoster, rosterMemberKey, type RosterRow } from '../../../src/core/import/roster-rows'
import { transferChanges } from '../../../src/core/org/membership'
import { MemberSchema, type Member } from '../../../src/core/schemas/member'
import { OrgSchema, type Org } from '../../../src/core/schemas/org'
import type { z } from '../../../src/core/zod'
import { addAudit } from '../../_shared/audit'
import { isAdminOver, requireMember } from '../../_shared/caller'
import { DbError } from '../../_shared/db'
import { fetchAll } from '../../_shared/paging'
import type { Runtime } from '../../_shared/runtime'
import { readTable, ROSTER_MAX_BYTES } from '../../_shared/workbook'
import { transferData } from './member-admin'

type Input = z.infer<typeof OrgImportRosterInput>
const REFUSED = '只有党委管理员可以导入名册'
/** A preview lists this many rows; the counts cover all of them. */
const PREVIEW_ROWS = 500

async function fileBytes(rt: Runtime, input: Input): Promise<Uint8Array> {
  if (input.content !== undefined) {
    const bytes = Buffer.from(input.content, 'base64')
    if (bytes.length > ROSTER_MAX_BYTES) throw new AppError('INVALID_INPUT', '文件太大了，名册文件请不要超过 2 MB')
    return bytes
  }
  return rt.files.read(input.fileId!, ROSTER_MAX_BYTES)
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
  const read = readRoster(table)
  const { branches, orgs } = await branchesUnder(rt, scope)
  const existing = await knownMembers(rt, read.rows)
  const plan = planRosterImport({ rows: read.rows, branches, existing: existing as Existing[], inScope: (id) => orgs.get(id)?.type === 'branch' })
  const errors = [...read.errors, ...plan.errors]
  const summary = { counts: plan.counts, errors: errors.slice(0, 200), errorCount: errors.length, unknownColumns: read.unknownColumns, rows: plan.rows.slice(0, PREVIEW_ROWS), total: plan.rows.length }
  if (!input.commit) return { ...summary, committed: false }
  if (errors.length > 0) throw new AppError('INVALID_INPUT', `名册里有 ${errors.length} 处需要改正，改好后再导入；这次什么都没有写入`, { errors: errors.slice(0, 50) })

  const now = rt.clock.now()
  const byId = new Map(existing.map((m) => [m._id, m]))
  const rowsByLine = new Map(read.rows.map((r) => [r.line, r]))
  const _ = rt.db.command
  const writes = plan.rows.filter((p) => p.action !== 'unchanged')
  try {
    await rt.db.runTransaction(async (t) => {
      for (const p of writes) {
        const r = rowsByLine.get(p.line)!
        const branch = orgs.get(p.branchId)!
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
            _id: deriveId('m', scope._id, p.key),
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
            joinedAt: now,
            createdAt: now
          })
          await t.collection('members').add({ data: member })
          continue
        }
        const m = byId.get(p.memberId!)!
        const exempt = r.exemptReason ? (m.exempt?.reason === r.exemptReason ? m.exempt : { reason: r.exemptReason, since: now }) : null
        const moved = p.action === 'transfer'
        await t.collection('members').doc(m._id).update({
          data: {
            ...fields,
            active: true,
            ...(g.exempt ? { exempt: exempt ? _.set(exempt) : null } : {}),
            ...(g.group && r.groupName ? { groupId: p.groupId } : {}),
            ...(moved ? transferData(rt, transferChanges(m, branch, now, p.groupId)) : {})
          }
        })
      }
      await addAudit(t, {
        actor: admin._id,
        action: 'member.import',
        target: { type: 'org', id: scope._id },
        orgId: scope._id,
        at: now,
        detail: { file: input.fileName.slice(0, 100), ...plan.counts }
      })
    })
  } catch (err) {
    // The same file sent twice at once: the other import created these members first.
    if (err instanceof DbError && err.code === 'DUPLICATE_ID') throw new AppError('CONFLICT', '这份名册刚刚已经导入过了，请刷新后查看')
    throw err
  }
  return { ...summary, committed: true }
}
