/**
 * The part of an org move that follows the moved org: every org under it,
 * and the members, sessions and aggregates of its branches, copy its new
 * path. Each step sets a value computed from the moved org as stored now, so
 * repeating a step changes nothing and a move cut short is finished by
 * running this again — by the admin's retry or by the next timer tick, which
 * finds the `moving` mark the move's first transaction set. No transaction:
 * an org is one document, and the rest are where-updates per branch.
 */
import { planMove } from '../../src/core/org/tree'
import { OrgSchema, type Org } from '../../src/core/schemas/org'
import { eachLimit } from './each-limit'
import { fetchAll } from './paging'
import type { Runtime } from './runtime'

/** Calls in flight at once: well under a basic plan's 20 connections. */
const PARALLEL = 8

export async function subtreeOf(rt: Runtime, orgId: string): Promise<Org[]> {
  return (await fetchAll(rt.db.collection('orgs').where({ path: orgId }), { cap: 5000 })).map((d) => OrgSchema.parse(d))
}

const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i])

/** Brings everything under `org` (already in its new place) onto its paths; clears the mark last. */
export async function followMove(rt: Runtime, org: Org, subtree: readonly Org[], paths: ReadonlyMap<string, string[]>) {
  const _ = rt.db.command
  const stale = subtree.filter((o) => o._id !== org._id && paths.has(o._id) && !same(o.path, paths.get(o._id)!))
  await eachLimit(stale, PARALLEL, async (o) => {
    await rt.db.collection('orgs').doc(o._id).update({ data: { path: _.set(paths.get(o._id)!) } })
  })
  let membersMoved = 0
  let sessionsMoved = 0
  const branches = subtree.filter((o) => o.type === 'branch')
  // Three calls a branch, one after another; a few branches at once.
  await eachLimit(branches, Math.ceil(PARALLEL / 2), async (b) => {
    const data = { orgPath: _.set(paths.get(b._id)!) }
    membersMoved += (await rt.db.collection('members').where({ branchId: b._id }).update({ data })).stats.updated
    sessionsMoved += (await rt.db.collection('sessions').where({ branchId: b._id }).update({ data })).stats.updated
    await rt.db.collection('aggregates').where({ branchId: b._id }).update({ data })
  })
  if (org.moving) await rt.db.collection('orgs').doc(org._id).update({ data: { moving: _.remove() } })
  return { membersMoved, sessionsMoved }
}

/** Finishes moves a cut-short call left marked (the timer tick's share of this work). */
export async function finishOrgMoves(rt: Runtime, limit = 5): Promise<number> {
  const { data } = await rt.db.collection('orgs').where({ 'moving.to': rt.db.command.exists(true) }).limit(limit).get()
  let finished = 0
  for (const o of data.map((d) => OrgSchema.parse(d))) {
    const { data: p } = await rt.db.collection('orgs').doc(o.parentId ?? '').get()
    const subtree = await subtreeOf(rt, o._id)
    const planned = p ? planMove(o, subtree, OrgSchema.parse(p)) : null
    if (!planned?.ok) {
      rt.log('warn', 'an org move left marked cannot be finished', { orgId: o._id })
      continue
    }
    await followMove(rt, o, subtree, planned.plan.paths)
    finished++
  }
  return finished
}
