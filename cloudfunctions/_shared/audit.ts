import { randomBytes } from 'crypto'
import { AuditEntrySchema, type AuditEntry, type AuditTarget } from '../../src/core/schemas/audit'
import type { Transaction } from './db'

export interface AuditInput {
  actor: string
  action: string
  target: AuditTarget
  orgId: string
  at: number
  detail?: Record<string, unknown>
}

/** Time first in the id, so audit entries sort roughly by when they happened. */
export function makeAuditEntry(entry: AuditInput): AuditEntry {
  return AuditEntrySchema.parse({ _id: `au_${entry.at.toString(36)}_${randomBytes(6).toString('hex')}`, ...entry })
}

/** Appends an audit entry inside the caller's transaction, so the action and its record commit together. */
export async function addAudit(t: Transaction, entry: AuditInput): Promise<void> {
  await t.collection('audit').add({ data: makeAuditEntry(entry) })
}

/** Keeps an id list in an audit detail within its size bound (the count is always exact). */
export function idsForAudit(ids: readonly string[], budget = 1500): string[] {
  const out: string[] = []
  let used = 0
  for (const id of ids) {
    used += id.length + 3
    if (used > budget) break
    out.push(id)
  }
  return out
}
