/**
 * Where a chunked job got to, kept between timer ticks (a timer event has no
 * memory). One document per job at a known id.
 */
import type { Runtime } from '../../_shared/runtime'

export interface JobState {
  cursor?: string
  /** The run this cursor belongs to, e.g. the year being reconciled. */
  run?: string
  /** When the current pass started; a pass that finished records finishedAt. */
  startedAt?: number
  finishedAt?: number
  corrected?: number
}

export async function readState(rt: Runtime, job: string): Promise<JobState> {
  const { data } = await rt.db.collection('cron_state').doc(job).get()
  return (data as JobState | null) ?? {}
}

export async function writeState(rt: Runtime, job: string, state: JobState): Promise<void> {
  await rt.db.collection('cron_state').doc(job).set({ data: { ...state } })
}

/** Work until this much wall time has passed in one call, well inside the function timeout. */
export const CHUNK_BUDGET_MS = 3000

export function budget(ms = CHUNK_BUDGET_MS): () => boolean {
  const start = Date.now()
  return () => Date.now() - start >= ms
}
