/**
 * 会议纪实 through the `session` function (types only from src/core), and the
 * officer's unsaved edit kept on the phone, so a closed app loses no typing.
 */
import type { z } from '../core/zod'
import type { MinutesContent } from '../core/minutes/record'
import type { MinutesPhotoAddOutput, MinutesPhotoView, MinutesSaveOutput, MinutesView } from '../core/functions/minutes'
import type { PickedPhoto } from './files'
import { clearStoredDraft, readStoredDraft, writeStoredDraft } from './drafts'
import { call } from './index'

export type { MinutesView, MinutesPhotoView }
export type MinutesPatch = Partial<MinutesContent>

export function getMinutes(sessionId: string): Promise<MinutesView> {
  return call<MinutesView>('session', 'minutes', { sessionId })
}

export function saveMinutes(sessionId: string, patch: MinutesPatch, baseUpdatedAt: number | null, reason?: string): Promise<z.infer<typeof MinutesSaveOutput>> {
  return call('session', 'minutesSave', { sessionId, patch, baseUpdatedAt, ...(reason ? { reason } : {}) })
}

export function lockMinutes(sessionId: string, baseUpdatedAt: number): Promise<{ updatedAt: number; lockedAt: number }> {
  return call('session', 'minutesLock', { sessionId, baseUpdatedAt })
}

export function addMinutesPhoto(sessionId: string, photo: PickedPhoto): Promise<z.infer<typeof MinutesPhotoAddOutput>> {
  return call('session', 'minutesPhotoAdd', { sessionId, photo })
}

export function removeMinutesPhoto(sessionId: string, photoId: string, reason?: string): Promise<{ removed: string }> {
  return call('session', 'minutesPhotoRemove', { sessionId, photoId, ...(reason ? { reason } : {}) })
}

const draftKey = (sessionId: string) => `minutes.draft.${sessionId}`

export interface MinutesDraft {
  patch: MinutesPatch
  /** The version the edit started from, so a restored draft still saves as a conflict-checked edit. */
  baseUpdatedAt: number | null
}

const isDraft = (v: unknown): v is MinutesDraft => !!v && typeof v === 'object' && !!(v as MinutesDraft).patch

export function readMinutesDraft(sessionId: string): MinutesDraft | null {
  return readStoredDraft(draftKey(sessionId), isDraft)
}

export function writeMinutesDraft(sessionId: string, draft: MinutesDraft): void {
  writeStoredDraft(draftKey(sessionId), draft)
}

export function clearMinutesDraft(sessionId: string): void {
  clearStoredDraft(draftKey(sessionId))
}
