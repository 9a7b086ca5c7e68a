/**
 * 学习材料: a branch's officers (for the branch) and a 党委's or 总支's admins
 * (for everything beneath it) add, list and remove the texts they study, so
 * a passage of one in a member's note counts as 摘录, credited, never as
 * copied from a colleague. Indexing and removal go in bounded steps
 * (_shared/materials.ts); the page calls `continueMaterial` until done, and
 * the timer finishes what a closed page left.
 */
import { AppError, fail, type Fail } from '../../../src/core/errors'
import type { MaterialAddInput, MaterialIdInput, MaterialListInput, MaterialSummary } from '../../../src/core/functions/note'
import { deriveId } from '../../../src/core/ids'
import { MIN_PASSAGE, fingerprintSet, normalise } from '../../../src/core/originality'
import type { Member } from '../../../src/core/schemas/member'
import {
  MATERIALS_PER_ORG,
  MATERIAL_MAX_CHARS,
  MATERIAL_ORIGIN_MAX,
  MATERIAL_TITLE_MAX,
  MaterialListingSchema,
  StudyMaterialSchema,
  materialContentHash,
  type MaterialHead,
  type MaterialListing
} from '../../../src/core/schemas/material'
import { OrgSchema, type Org } from '../../../src/core/schemas/org'
import { countNoteWords } from '../../../src/core/words'
import type { z } from '../../../src/core/zod'
import { addAudit } from '../../_shared/audit'
import { isAdminOver, isBranchOfficer, requireMember } from '../../_shared/caller'
import { MATERIAL_CALLS_PER_STEP, advanceMaterial, readMaterial, startRemoval } from '../../_shared/materials'
import { SOURCES, scopeOf } from '../../_shared/originality'
import { fetchAll } from '../../_shared/paging'
import type { Runtime } from '../../_shared/runtime'

const REFUSED = '只有本支部的书记、支委或党委管理员可以管理学习材料'
const NOT_FOUND = '没有找到这份学习材料，或您没有权限管理它'

/** A branch is its officers'; a 党委 or 总支 its admins'; a 党小组 holds none. */
function manages(caller: Member, org: Org): boolean {
  if (org.type === 'group') return false
  return org.type === 'branch' ? isBranchOfficer(caller, org) : isAdminOver(caller, org)
}

/** An org the caller manages materials of; a missing one and one out of scope answer alike. */
async function loadManagedOrg(rt: Runtime, caller: Member, orgId: string): Promise<Org> {
  const { data } = await rt.db.collection('orgs').doc(orgId).get()
  const org = data ? OrgSchema.parse(data) : null
  if (!org || !manages(caller, org)) throw new AppError('FORBIDDEN', REFUSED)
  return org
}

async function orgNames(rt: Runtime, ids: readonly string[]): Promise<Map<string, Org>> {
  const _ = rt.db.command
  const docs = ids.length ? await fetchAll(rt.db.collection('orgs').where({ _id: _.in([...ids]) }), { cap: 50 }) : []
  return new Map(docs.map((d) => [String(d._id), OrgSchema.parse(d)]))
}

function summary(m: MaterialListing, owner: Org | undefined, caller: Member): MaterialSummary {
  return {
    _id: m._id,
    orgId: m.orgId,
    orgName: owner?.name ?? '',
    title: m.title,
    ...(m.origin !== undefined ? { origin: m.origin } : {}),
    words: m.words,
    status: m.status,
    progress: m.status === 'ready' ? 1 : m.hashCount > 0 ? Math.min(1, m.indexed / m.hashCount) : 0,
    createdByName: m.createdByName,
    createdAt: m.createdAt,
    canRemove: !!owner && manages(caller, owner)
  }
}

/**
 * Kind messages for what a secretary pasting a document can actually meet
 * (too long, empty, invisible control characters), before the schema's
 * generic one. Runs on the raw event.
 */
export function precheckMaterial(event: unknown): Fail | null {
  if (typeof event !== 'object' || event === null || (event as { action?: unknown }).action !== 'addMaterial') return null
  const { content, title, origin } = event as Record<string, unknown>
  if (typeof content === 'string') {
    if (content.length > MATERIAL_MAX_CHARS) {
      return fail('INVALID_INPUT', `一份学习材料最多 ${MATERIAL_MAX_CHARS} 个字符，请分成几份添加（如“上”“下”）`, {
        field: 'content',
        max: MATERIAL_MAX_CHARS,
        length: content.length
      })
    }
    if (content.trim().length === 0) return fail('INVALID_INPUT', '请粘贴学习材料的正文', { field: 'content' })
    if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(content)) {
      return fail('INVALID_INPUT', '正文里有无法显示的控制字符（可能来自复制粘贴），请删除后再添加', { field: 'content' })
    }
  }
  if (typeof title === 'string') {
    if (title.trim().length === 0) return fail('INVALID_INPUT', '请填写材料标题', { field: 'title' })
    if (title.trim().length > MATERIAL_TITLE_MAX) return fail('INVALID_INPUT', `标题最多 ${MATERIAL_TITLE_MAX} 个字`, { field: 'title', max: MATERIAL_TITLE_MAX })
  }
  if (typeof origin === 'string' && origin.trim().length > MATERIAL_ORIGIN_MAX) {
    return fail('INVALID_INPUT', `出处最多 ${MATERIAL_ORIGIN_MAX} 个字`, { field: 'origin', max: MATERIAL_ORIGIN_MAX })
  }
  return null
}

export async function listMaterials(rt: Runtime, input: z.infer<typeof MaterialListInput>) {
  const caller = await requireMember(rt)
  const org = await loadManagedOrg(rt, caller, input.orgId)
  const _ = rt.db.command
  const docs = await fetchAll(
    rt.db
      .collection(SOURCES)
      .where({ orgId: _.in(org.path) })
      .field({ content: false, hashes: false }),
    { cap: MATERIALS_PER_ORG * org.path.length }
  )
  const owners = await orgNames(rt, org.path)
  const depth = (m: MaterialListing) => org.path.length - 1 - org.path.indexOf(m.orgId)
  const items = docs
    .map((d) => MaterialListingSchema.safeParse(d))
    .flatMap((r) => (r.success ? [r.data] : []))
    .filter((m) => m.status !== 'removing')
    .sort((a, b) => depth(a) - depth(b) || b.createdAt - a.createdAt || (a._id < b._id ? -1 : 1))
    .map((m) => summary(m, owners.get(m.orgId), caller))
  return { orgId: org._id, orgName: org.name, canAdd: !org.closed, items }
}

export async function addMaterial(rt: Runtime, input: z.infer<typeof MaterialAddInput>) {
  const caller = await requireMember(rt)
  const org = await loadManagedOrg(rt, caller, input.orgId)
  if (org.closed) throw new AppError('FORBIDDEN', '这个组织已撤销，不能再添加学习材料')
  const norm = normalise(input.content)
  if (norm.cps.length < MIN_PASSAGE) {
    throw new AppError('INVALID_INPUT', `学习材料太短：至少要有 ${MIN_PASSAGE} 个字，才能认出笔记里摘录的段落`, { field: 'content', min: MIN_PASSAGE })
  }
  const contentHash = materialContentHash(input.content)
  const id = deriveId('mat', org._id, input.clientId)
  const col = rt.db.collection(SOURCES)
  const existing = await readMaterial(rt, id)
  if (existing) {
    // The same form sent again (a lost reply): the material it made, moved on.
    if (existing.contentHash !== contentHash || existing.title !== input.title) {
      throw new AppError('CONFLICT', '这次提交与先前的不同，请刷新后重新添加')
    }
    const now = await advanceMaterial(rt, id)
    return { material: now ? summary(now, org, caller) : null }
  }
  const _ = rt.db.command
  const same = await col.where({ orgId: org._id, contentHash, status: _.in(['indexing', 'ready']) }).field({ title: true }).limit(1).get()
  if (same.data.length > 0) {
    throw new AppError('CONFLICT', `这份材料已经添加过了：《${String(same.data[0].title)}》`, { materialId: String(same.data[0]._id) })
  }
  const { total } = await col.where({ orgId: org._id }).count()
  if (total >= MATERIALS_PER_ORG) {
    throw new AppError('CONFLICT', `每个组织最多保存 ${MATERIALS_PER_ORG} 份学习材料，请先移除不再学习的材料`)
  }
  const at = rt.clock.now()
  const hashes = fingerprintSet(input.content)
  const material = StudyMaterialSchema.parse({
    _id: id,
    orgId: org._id,
    orgPath: org.path,
    scope: scopeOf(org.path),
    title: input.title,
    ...(input.origin !== undefined ? { origin: input.origin } : {}),
    content: input.content,
    words: countNoteWords(input.content),
    contentHash,
    hashes,
    hashCount: hashes.length,
    indexed: 0,
    status: 'indexing',
    createdBy: caller._id,
    createdByName: caller.name,
    createdAt: at,
    updatedAt: at
  })
  // The material and its audit line together; a retry with the same clientId finds it above.
  await rt.db.runTransaction(async (t) => {
    const { data } = await t.collection(SOURCES).doc(id).get()
    if (data) return
    await t.collection(SOURCES).add({ data: material })
    await addAudit(t, {
      actor: caller._id,
      action: 'material.add',
      target: { type: 'material', id },
      orgId: org._id,
      at,
      detail: { title: material.title, words: material.words }
    })
  })
  const now = await advanceMaterial(rt, id, MATERIAL_CALLS_PER_STEP)
  return { material: now ? summary(now, org, caller) : null }
}

/** A material the caller manages (by its owner org); otherwise the same refusal as a missing one. */
async function loadManagedMaterial(rt: Runtime, caller: Member, materialId: string): Promise<{ material: MaterialHead; owner: Org }> {
  const material = await readMaterial(rt, materialId)
  if (!material) throw new AppError('FORBIDDEN', NOT_FOUND)
  const { data: orgDoc } = await rt.db.collection('orgs').doc(material.orgId).get()
  const owner = orgDoc ? OrgSchema.parse(orgDoc) : null
  if (!owner || !manages(caller, owner)) throw new AppError('FORBIDDEN', NOT_FOUND)
  return { material, owner }
}

export async function continueMaterial(rt: Runtime, input: z.infer<typeof MaterialIdInput>) {
  const caller = await requireMember(rt)
  const { owner } = await loadManagedMaterial(rt, caller, input.materialId)
  const now = await advanceMaterial(rt, input.materialId)
  return { material: now ? summary(now, owner, caller) : null }
}

export async function removeMaterial(rt: Runtime, input: z.infer<typeof MaterialIdInput>) {
  const caller = await requireMember(rt)
  const { material, owner } = await loadManagedMaterial(rt, caller, input.materialId)
  if (material.status !== 'removing') {
    await startRemoval(rt, material)
    await rt.db.runTransaction((t) =>
      addAudit(t, {
        actor: caller._id,
        action: 'material.remove',
        target: { type: 'material', id: material._id },
        orgId: owner._id,
        at: rt.clock.now(),
        detail: { title: material.title }
      })
    )
  }
  const now = await advanceMaterial(rt, material._id)
  return { material: now ? summary(now, owner, caller) : null }
}
