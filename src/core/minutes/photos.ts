/**
 * Photos of a meeting are optional: the rules against 过度留痕 forbid making
 * them a condition of anything, so nothing here is ever required. When a
 * branch adds them, a few small ones are enough for the record; the phone
 * compresses before sending and the server checks again, by the bytes'
 * own signature rather than the name a client claims.
 */
export const PHOTO_LIMITS = {
  perSession: 6,
  /** After the phone's compression a meeting photo is 150–400 KB; 2 MB leaves room, not room for video. */
  maxBytes: 2 * 1024 * 1024
} as const

export type PhotoType = 'jpeg' | 'png' | 'webp'

/** The image type the bytes say they are, or null. */
export function sniffPhotoType(bytes: Uint8Array): PhotoType | null {
  const at = (i: number, ...v: number[]) => v.every((x, k) => bytes[i + k] === x)
  if (bytes.length >= 3 && at(0, 0xff, 0xd8, 0xff)) return 'jpeg'
  if (bytes.length >= 8 && at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'png'
  if (bytes.length >= 12 && at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) return 'webp'
  return null
}

/** Also said when a photo uploaded to cloud storage is found too large to read. */
export const PHOTO_TOO_LARGE = `照片太大（超过 ${PHOTO_LIMITS.maxBytes / 1024 / 1024} MB），请选择较小的照片`

/** Why a photo cannot be added, in words for the officer; null when it can. */
export function photoRefusal(bytes: Uint8Array, alreadyAttached: number): string | null {
  if (alreadyAttached >= PHOTO_LIMITS.perSession) return `每场活动最多保存 ${PHOTO_LIMITS.perSession} 张照片，请先删掉一张再添加`
  if (bytes.length === 0) return '照片是空的，请重新选择'
  if (bytes.length > PHOTO_LIMITS.maxBytes) return PHOTO_TOO_LARGE
  if (!sniffPhotoType(bytes)) return '只能添加 JPG、PNG 或 WebP 格式的照片'
  return null
}
