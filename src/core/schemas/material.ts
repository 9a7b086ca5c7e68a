import { z } from '../zod'
import {
  MATERIAL_MAX_CHARS,
  MATERIAL_ORIGIN_MAX,
  MATERIAL_STATUSES,
  MATERIAL_TITLE_MAX
} from '../vocab/material'
import { stableHash } from '../ids'
import { normalise } from '../originality/engine'
import { IdSchema, TimestampSchema, lineText, multilineText } from './common'

export * from '../vocab/material'
export const MaterialStatusSchema = z.enum(MATERIAL_STATUSES)

/**
 * A study material (学习材料) as stored in `note_sources`: a text an
 * organisation studies, fingerprinted into the originality postings under
 * `src:<_id>`, so a passage of it in a member's note is an excerpt (摘录:
 * credited, shown apart), never "copied from a colleague". It applies to
 * the members under `orgId`: a branch's to that branch, a 党委's to all its
 * branches. Sources stored before materials existed carry only title,
 * content and hashes, and apply everywhere.
 */
export const StudyMaterialSchema = z.object({
  _id: IdSchema,
  /** The branch or 党委 / 总支 it belongs to. */
  orgId: IdSchema,
  /** That org's path (root first). */
  orgPath: z.array(IdSchema).min(1).max(8),
  /**
   * The originality scope its fingerprints are posted under: the root of
   * orgPath (its 党委). Absent on a material indexed before the index was
   * scoped, which the cron migration (rescopeIndex) re-posts.
   */
  scope: IdSchema.optional(),
  title: lineText(MATERIAL_TITLE_MAX),
  /** 出处: who said it where, or the document it comes from. */
  origin: lineText(MATERIAL_ORIGIN_MAX).optional(),
  content: multilineText(MATERIAL_MAX_CHARS),
  words: z.number().int().nonnegative(),
  /** stableHash of the normalised text: the same text is not added twice to one org. */
  contentHash: z.string().regex(/^[0-9a-f]{16}$/),
  /** Its distinct fingerprints, in the order they are posted. */
  hashes: z.array(z.string()),
  /** hashes.length, so a list can show progress without reading the fingerprints. */
  hashCount: z.number().int().nonnegative(),
  /** How many of `hashes` are posted (a cursor: indexing goes on from here). */
  indexed: z.number().int().nonnegative(),
  status: MaterialStatusSchema,
  createdBy: IdSchema,
  createdByName: z.string().max(30),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema
})
export type StudyMaterial = z.infer<typeof StudyMaterialSchema>

/** A material without its text: what the indexing steps read. */
export const MaterialHeadSchema = StudyMaterialSchema.omit({ content: true })
export type MaterialHead = z.infer<typeof MaterialHeadSchema>
/** Without its fingerprints either (thousands each): what a list reads. */
export const MaterialListingSchema = StudyMaterialSchema.omit({ content: true, hashes: true })
export type MaterialListing = z.infer<typeof MaterialListingSchema>

/** Of the normalised text, so the same speech pasted with other spacing or punctuation is the same material. */
export function materialContentHash(content: string): string {
  return stableHash(normalise(content).cps.map((c) => String.fromCodePoint(c)).join(''))
}
