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
