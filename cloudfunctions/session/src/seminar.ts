/**
 * What a 会议纪实 links beyond its own text: the 学习材料 studied, and for a
 * 专题学习研讨 the 交流材料 each expected member handed in (notes carrying
 * the session's id, see note/src/exchange.ts).
 */
import { expectedAt } from '../../../src/core/audience'
import { AppError } from '../../../src/core/errors'
import type { ExchangeNote } from '../../../src/core/functions/minutes'
import type { Member } from '../../../src/core/schemas/member'
import type { Session } from '../../../src/core/schemas/session'
import { readMaterial } from '../../_shared/materials'
import { sourceApplies } from '../../_shared/originality'
import { fetchAll } from '../../_shared/paging'
import { branchPeople } from '../../_shared/reconcile'
import type { Runtime } from '../../_shared/runtime'

const MATERIAL_REFUSED = '所选学习材料不存在、正在移除，或不属于本支部可用的材料，请重新选择'

/**
 * Every linked material must be one the session's branch studies (its own or
 * an org's above it, as a note's excerpts are judged) and not on its way out.
 * A missing one and a foreign one answer alike, so ids cannot be probed.
 */
export async function checkMaterials(rt: Runtime, session: Session, ids: readonly string[]): Promise<void> {
  const heads = await Promise.all(ids.map((id) => readMaterial(rt, id)))
  const bad = ids.find((_id, i) => {
    const m = heads[i]
    return !m || !sourceApplies(m as unknown as Record<string, unknown>, session.orgPath)
  })
  if (bad) throw new AppError('INVALID_INPUT', MATERIAL_REFUSED, { field: 'materialIds', materialId: bad })
}

/**
 * 交流材料 by member: officers get every member the seminar expected (and
 * anyone else who handed one in, should the audience have changed), a member
 * only their own row. Other sessions have none.
 */
export async function exchangeOf(rt: Runtime, session: Session, caller: Member, officer: boolean, names: Map<string, string>) {
  if (session.type !== 'seminar') return []
  const where = officer ? { sessionId: session._id } : { sessionId: session._id, memberId: caller._id }
  const [docs, people] = await Promise.all([
    fetchAll(rt.db.collection('notes').where(where).field({ title: true, words: true, creditedWords: true, memberId: true, deleted: true, createdAt: true }), { cap: 2000 }),
    officer ? branchPeople(rt, session.branchId) : Promise.resolve([caller])
  ])
  const byMember = new Map<string, ExchangeNote[]>()
  for (const d of docs.filter((x) => x.deleted !== true).sort((a, b) => Number(a.createdAt) - Number(b.createdAt))) {
    const memberId = String(d.memberId)
    byMember.set(memberId, [...(byMember.get(memberId) ?? []), { _id: String(d._id), title: String(d.title), words: Number(d.words), creditedWords: Number(d.creditedWords) }])
  }
  const ids = new Set(people.filter((m) => expectedAt(session, m)).map((m) => m._id))
  for (const id of byMember.keys()) ids.add(id)
  return [...ids]
    .map((memberId) => ({ memberId, name: names.get(memberId) ?? (memberId === caller._id ? caller.name : ''), notes: byMember.get(memberId) ?? [] }))
    .sort((a, b) => a.name.localeCompare(b.name, 'zh'))
}
