/**
 * 学习材料 through the `note` cloud function, typed from the zod schemas in
 * src/core (types only, so no schema code is bundled here).
 */
import type { z } from '../core/zod'
import type { MaterialListOutput, MaterialSummary } from '../core/functions/note'
import { call } from './index'

export type { MaterialSummary }
export type MaterialList = z.infer<typeof MaterialListOutput>

export function listMaterials(orgId: string): Promise<MaterialList> {
  return call<MaterialList>('note', 'materials', { orgId })
}

export interface MaterialDraft {
  orgId: string
  title: string
  origin: string
  content: string
  /** The form's own id: a resend after a lost reply is the same material. */
  clientId: string
}

export async function addMaterial(d: MaterialDraft): Promise<MaterialSummary | null> {
  const input: Record<string, unknown> = { orgId: d.orgId, title: d.title.trim(), content: d.content, clientId: d.clientId }
  if (d.origin.trim()) input.origin = d.origin.trim()
  const out = await call<{ material: MaterialSummary | null }>('note', 'addMaterial', input)
  return out.material
}

/** One more step of indexing or removal; null once the material is gone. */
export async function continueMaterial(materialId: string): Promise<MaterialSummary | null> {
  const out = await call<{ material: MaterialSummary | null }>('note', 'continueMaterial', { materialId })
  return out.material
}

export async function removeMaterial(materialId: string): Promise<MaterialSummary | null> {
  const out = await call<{ material: MaterialSummary | null }>('note', 'removeMaterial', { materialId })
  return out.material
}
