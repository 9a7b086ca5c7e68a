/**
 * The optional photos of a 会议纪实 (src/core/minutes/photos.ts): officers of
 * the session's branch add and remove them, whoever may read the record sees
 * them through temporary links. Nothing ever requires one (过度留痕).
 *
 * What a lock means for photos: a locked record's text changes only by
 * corrections, and photos follow the same idea of a trail an inspection can
 * trust. After the lock a photo may still be added (a committee member's
 * phone is often the one with the pictures, a day later), but it is marked
 * 锁定后补充 on the record; a photo may still be removed (a face that should
 * not be there is a privacy matter, so the file really goes), but only with a
 * reason, and the record keeps a line saying when, by whom and why. Both are
 * audited. Refusing every change after the lock would push officers to lock
 * late or not at all; silent changes would make the lock worth nothing.
 */
import { randomBytes } from 'crypto'
import { AppError } from '../../../src/core/errors'
import {
  MinutesDocSchema,
  MinutesPhotoDocSchema,
  type MinutesPhotoDoc,
  type MinutesPhotoAddInput,
  type MinutesPhotoRemoveInput,
  type MinutesPhotoRemovalView,
  type MinutesPhotoView
} from '../../../src/core/functions/minutes'
import { PHOTO_LIMITS, PHOTO_TOO_LARGE, photoRefusal, sniffPhotoType, type PhotoType } from '../../../src/core/minutes/photos'
import type { Member } from '../../../src/core/schemas/member'
import type { Session } from '../../../src/core/schemas/session'
import type { z } from '../../../src/core/zod'
import { addAudit } from '../../_shared/audit'
import type { Transaction } from '../../_shared/db'
import { fetchAll } from '../../_shared/paging'
import { FILE_TOO_LARGE, type Runtime } from '../../_shared/runtime'
import { requireOfficer } from './minutes'

const PHOTOS = 'minutes_photos'
/** Long enough to read and print a record opened a while ago; short enough that a forwarded link dies. */
const URL_MAX_AGE_MS = 2 * 60 * 60 * 1000
const CONTENT_TYPES: Record<PhotoType, string> = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' }
const EXTENSIONS: Record<PhotoType, string> = { jpeg: 'jpg', png: 'png', webp: 'webp' }
/** The only cloud folder the mini-program uploads photos to (src/api/files.weapp.ts). */
const UPLOAD_FOLDER = /^cloud:\/\/[^/]+\/minutes-uploads\/[^/]+$/
const NOT_UPLOADED = '照片没有上传成功，请重新选择'
const GONE = '这张照片已经删除了，请刷新页面'

const slotId = (sessionId: string, slot: number) => `${sessionId}:${slot}`
const SLOTS = Array.from({ length: PHOTO_LIMITS.perSession }, (_v, i) => i + 1)

function refuse(message: string): AppError {
  return new AppError('INVALID_INPUT', message)
}

async function storedPhotos(rt: Runtime, sessionId: string): Promise<MinutesPhotoDoc[]> {
  const docs = await fetchAll(rt.db.collection(PHOTOS).where({ sessionId }), { cap: 200 })
  return docs.map((d) => MinutesPhotoDocSchema.parse(d)).sort((a, b) => a.at - b.at)
}

/**
 * The record's photos with fresh links, and its removals after the lock, for
 * anyone who may read it; named once the caller has the branch's names (read
 * alongside, so a record costs no extra round trip).
 */
export async function photosOf(rt: Runtime, sessionId: string): Promise<(names: Map<string, string>) => { photos: MinutesPhotoView[]; photoRemovals: MinutesPhotoRemovalView[] }> {
  const docs = await storedPhotos(rt, sessionId)
  const kept = docs.filter((d) => d.kind === 'photo')
  const urls = await rt.files.urls(kept.map((d) => d.fileId), URL_MAX_AGE_MS)
  return (names) => {
    const name = (id: string) => names.get(id) ?? ''
    return {
      // A file the store cannot link (deleted by hand in the console) is left out rather than shown broken.
      photos: kept.filter((d) => urls[d.fileId]).map((d) => view(d, urls[d.fileId], name(d.by))),
      photoRemovals: docs.flatMap((d) => (d.kind === 'removed' ? [{ at: d.at, byName: name(d.by), reason: d.reason, addedAt: d.addedAt }] : []))
    }
  }
}

function view(d: Extract<MinutesPhotoDoc, { kind: 'photo' }>, url: string, byName: string): MinutesPhotoView {
  return { id: d.photoId, url, type: d.type, bytes: d.bytes, at: d.at, byName, afterLock: d.afterLock }
}

/**
 * The bytes sent. A mini-program upload is read back from cloud storage:
 * only from the upload folder, so a caller cannot have the function copy some
 * other stored file (an export, another branch's photo) into this record.
 */
async function photoBytes(rt: Runtime, photo: z.infer<typeof MinutesPhotoAddInput>['photo']): Promise<Uint8Array> {
  if ('content' in photo) return Buffer.from(photo.content, 'base64')
  if (!UPLOAD_FOLDER.test(photo.fileId)) throw refuse(NOT_UPLOADED)
  try {
    return await rt.files.read(photo.fileId, PHOTO_LIMITS.maxBytes)
  } catch (e) {
    if (e instanceof AppError && e.details?.reason === FILE_TOO_LARGE) throw refuse(PHOTO_TOO_LARGE)
    rt.log('warn', 'minutes photo upload unreadable', { error: String((e as Error)?.message ?? e) })
    throw refuse(NOT_UPLOADED)
  }
}

export async function addMinutesPhoto(rt: Runtime, input: z.infer<typeof MinutesPhotoAddInput>) {
  const { caller, session } = await requireOfficer(rt, input.sessionId)
  const upload = 'fileId' in input.photo && UPLOAD_FOLDER.test(input.photo.fileId) ? input.photo.fileId : null
  try {
    return await addChecked(rt, input, caller, session)
  } finally {
    // Kept or refused, the phone's upload has done its part: the folder holds only files in transit.
    if (upload) await forget(rt, [upload])
  }
}

async function addChecked(rt: Runtime, input: z.infer<typeof MinutesPhotoAddInput>, caller: Member, session: Session) {
  const before = (await storedPhotos(rt, session._id)).filter((d) => d.kind === 'photo').length
  // Counted before the bytes are fetched or stored: a seventh costs nothing.
  if (before >= PHOTO_LIMITS.perSession) throw refuse(photoRefusal(new Uint8Array(0), before)!)
  const bytes = await photoBytes(rt, input.photo)
  const refusal = photoRefusal(bytes, before)
  if (refusal) throw refuse(refusal)
  const type = sniffPhotoType(bytes)!
  // Kept again under a path the server chooses, rather than referencing the
  // phone's upload: the upload's path is the client's choice, and under cloud
  // storage's default rule its creator may overwrite it after this check. The
  // copy is the bytes that were checked; the upload is only in transit.
  const { fileId } = await rt.files.keep({ folder: `minutes/${session._id}`, name: `photo.${EXTENSIONS[type]}`, bytes, contentType: CONTENT_TYPES[type] })
  const now = rt.clock.now()
  let added: Extract<MinutesPhotoDoc, { kind: 'photo' }>
  try {
    added = await rt.db.runTransaction(async (t) => {
      const col = t.collection(PHOTOS)
      // The slot documents are the limit: at most perSession ids exist, so two
      // adds at once cannot both take the last place (the second write conflicts).
      const slots = await Promise.all(SLOTS.map((s) => col.doc(slotId(session._id, s)).get()))
      const free = SLOTS.find((_s, i) => !slots[i].data)
      if (free === undefined) throw refuse(photoRefusal(bytes, PHOTO_LIMITS.perSession)!)
      const record = await t.collection('minutes').doc(session._id).get()
      const afterLock = record.data ? MinutesDocSchema.parse(record.data).lockedAt !== null : false
      const doc = MinutesPhotoDocSchema.parse({
        _id: slotId(session._id, free),
        kind: 'photo',
        sessionId: session._id,
        branchId: session.branchId,
        photoId: `p${free}_${randomBytes(6).toString('hex')}`,
        fileId,
        type,
        bytes: bytes.length,
        at: now,
        by: caller._id,
        afterLock
      }) as Extract<MinutesPhotoDoc, { kind: 'photo' }>
      const { _id, ...data } = doc
      await col.doc(_id).set({ data })
      await audit(t, 'minutes.photoAdd', { caller, session, now }, { photoId: doc.photoId, bytes: bytes.length, afterLock })
      return doc
    })
  } catch (e) {
    await forget(rt, [fileId])
    throw e
  }
  const urls = await rt.files.urls([fileId], URL_MAX_AGE_MS)
  return { photo: view(added, urls[fileId] ?? '', caller.name), count: before + 1 }
}

export async function removeMinutesPhoto(rt: Runtime, input: z.infer<typeof MinutesPhotoRemoveInput>) {
  const { caller, session } = await requireOfficer(rt, input.sessionId)
  const id = slotId(session._id, Number(input.photoId.slice(1, input.photoId.indexOf('_'))))
  const now = rt.clock.now()
  const removed = await rt.db.runTransaction(async (t) => {
    const col = t.collection(PHOTOS)
    const { data } = await col.doc(id).get()
    const photo = data ? MinutesPhotoDocSchema.parse({ ...data, _id: id }) : null
    if (!photo || photo.kind !== 'photo' || photo.photoId !== input.photoId) throw new AppError('NOT_FOUND', GONE)
    const record = await t.collection('minutes').doc(session._id).get()
    const locked = record.data ? MinutesDocSchema.parse(record.data).lockedAt !== null : false
    const reason = (input.reason ?? '').trim()
    if (locked && !reason) throw refuse('记录已经锁定，删除照片要写明原因')
    await col.doc(id).remove()
    if (locked) {
      // Keyed by the photo's own id: a retried removal writes the same line once.
      await col.doc(`${session._id}:r_${photo.photoId}`).set({
        data: { kind: 'removed', sessionId: session._id, branchId: session.branchId, photoId: photo.photoId, addedAt: photo.at, addedBy: photo.by, at: now, by: caller._id, reason }
      })
    }
    await audit(t, 'minutes.photoRemove', { caller, session, now }, { photoId: photo.photoId, afterLock: locked, reason })
    return photo
  })
  await forget(rt, [removed.fileId])
  return { removed: input.photoId }
}

function audit(t: Transaction, action: string, by: { caller: Member; session: Session; now: number }, detail: Record<string, unknown>) {
  return addAudit(t, { actor: by.caller._id, action, target: { type: 'session', id: by.session._id }, orgId: by.session.branchId, at: by.now, detail })
}

/** Deleting a file is tidying: a failure leaves an orphan in storage, never a wrong record. */
async function forget(rt: Runtime, fileIds: string[]): Promise<void> {
  try {
    await rt.files.remove(fileIds)
  } catch (e) {
    rt.log('warn', 'minutes photo file not deleted', { fileIds, error: String((e as Error)?.message ?? e) })
  }
}
