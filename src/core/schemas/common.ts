import { z } from '../zod'

/** Document ids: short, printable, never user prose. Deterministic ids use `:` as joiner. */
export const IdSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_:.-]+$/, 'id contains characters that are not allowed')

/** Milliseconds since the epoch. Stored as numbers so they sort and compare in queries. */
export const TimestampSchema = z.number().int().nonnegative()

/** Short single-line human text (names, titles): trimmed, no control characters. */
export function lineText(max: number) {
  return z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), { message: 'contains control characters' })
}

export const PeriodKeySchema = z
  .string()
  .regex(/^\d{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$/, 'period must look like 2026, 2026-Q1 or 2026-03')

export type Id = z.infer<typeof IdSchema>

/**
 * Free text that may span lines (reasons, comments, note bodies): tabs and
 * line breaks are kept, other control characters are refused because they
 * break exports and can hide text. Not trimmed, so a note keeps its layout;
 * whitespace-only text is refused.
 */
export function multilineText(max: number) {
  return z
    .string()
    .max(max)
    .refine((s) => s.trim().length > 0, { message: 'must not be blank' })
    .refine((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s), {
      message: 'contains control characters'
    })
}

/**
 * The Shanghai period keys of an instant, stored on every dated fact so
 * aggregates and reconciliation can match by key instead of by time range.
 */
export const PeriodKeysSchema = z.object({
  year: z.string().regex(/^\d{4}$/),
  quarter: z.string().regex(/^\d{4}-Q[1-4]$/),
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/)
})
export type PeriodKeys = z.infer<typeof PeriodKeysSchema>

/**
 * A point on the map in GCJ-02, the system wx.chooseLocation returns for a
 * venue; check-ins must ask wx.getLocation for type 'gcj02' so both agree
 * (mixing in WGS-84 would misplace people by several hundred metres).
 */
export const LatLngSchema = z.object({
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180)
})
export type LatLng = z.infer<typeof LatLngSchema>
