/**
 * setup: run once after a deploy (the CloudBase console's test button on
 * `cron`, which calls with no user identity) so that every collection the
 * code uses exists: CloudBase creates none implicitly and answers -502005
 * to the first call on a missing one. Idempotent: a second run creates
 * nothing. Indexes cannot be created from a function; the answer lists them
 * for the console (the README prints the same table).
 */
import type { CronSetupInput } from '../../../src/core/functions/cron'
import type { z } from '../../../src/core/zod'
import { CLOUD_COLLECTIONS, COLLECTIONS } from '../../_shared/collections'
import type { Runtime } from '../../_shared/runtime'

export async function setupJob(rt: Runtime, _input: z.infer<typeof CronSetupInput>) {
  const created: string[] = []
  const existing: string[] = []
  // One at a time: a basic plan allows few concurrent connections, and there are only about twenty.
  for (const name of CLOUD_COLLECTIONS) {
    const r = await rt.db.createCollection(name)
    ;(r.created ? created : existing).push(name)
  }
  const indexes = CLOUD_COLLECTIONS.flatMap((collection) =>
    COLLECTIONS[collection].indexes.map((fields: string[]) => ({ collection, fields: [...fields] }))
  )
  if (created.length > 0) rt.log('info', 'setup created collections', { created })
  return { job: 'setup' as const, created, existing, indexes }
}
