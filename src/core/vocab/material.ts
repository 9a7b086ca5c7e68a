/**
 * 学习材料: the texts an organisation studies (speeches, documents), known to
 * the originality check so passages from them count as 摘录. Zod-free, so the
 * secretary page can show the limits and labels without shipping zod.
 */

/**
 * Longest text one material takes, in UTF-16 units (String.length, as a
 * textarea's maxlength counts). 30,000 characters is four times the longest
 * seed speech and about 90 KB as UTF-8, under the 100 KB WeChat advises for
 * one callFunction payload; a longer document is added in parts.
 */
export const MATERIAL_MAX_CHARS = 30000
/** Shorter than a countable passage (30 normalised characters) could never be recognised. */
export const MATERIAL_MIN_CHARS = 30
export const MATERIAL_TITLE_MAX = 60
export const MATERIAL_ORIGIN_MAX = 100
/** Materials one organisation (a branch, or a 党委 / 总支) keeps at most. */
export const MATERIALS_PER_ORG = 300

/** indexing: its passages are being entered into the index; ready: fully known; removing: taken out, no longer counts. */
export const MATERIAL_STATUSES = ['indexing', 'ready', 'removing'] as const
export type MaterialStatus = (typeof MATERIAL_STATUSES)[number]

export const MATERIAL_STATUS_LABELS: Record<MaterialStatus, string> = {
  indexing: '正在建立索引',
  ready: '已生效',
  removing: '正在移除'
}
