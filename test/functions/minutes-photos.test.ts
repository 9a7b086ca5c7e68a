/**
 * 会议纪实 photos through the session function on a real SQLite file and the
 * local file store: officers of the branch add a few (JPEG, PNG), the
 * seventh, the wrong type, the too large and the empty are refused in plain
 * words, a removed photo is gone (file too), a lock keeps a trail of what
 * changed after it, members expected at the session see the photos and can
 * fetch them from the local server, nobody else can. Fixed clock.
 */
import { existsSync, readdirSync } from 'fs'
import { join } from 'path'
import { buildApp } from '../../server/app'
import { DEMO_PEOPLE } from '../../server/seed/people'
import { TEST_SECRET, expectFail, expectOk, makeTestEnv, type TestEnv } from '../helpers/env'
import { fakeJpeg, tinyPng } from '../helpers/photos'
import { BR2, MIN, addSession } from './checkin.fixtures'

const T0 = Date.parse('2026-11-20T02:00:00Z')

type Photo = { id: string; url: string; type: string; bytes: number; byName: string; afterLock: boolean }
type View = { photos: Photo[]; photoRemovals: Array<{ byName: string; reason: string }>; minutes: { updatedAt: number | null } }

let env: TestEnv
beforeEach(async () => {
  env = await makeTestEnv()
  env.clock.set(T0)
})
afterEach(() => env.close())

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64')
const add = (sessionId: string, bytes: Uint8Array, as: string = BR2.secretary) =>
  env.call<{ photo: Photo; count: number }>('session', 'minutesPhotoAdd', { sessionId, photo: { content: b64(bytes) } }, as)
const remove = (sessionId: string, photoId: string, as: string = BR2.secretary, reason?: string) =>
  env.call('session', 'minutesPhotoRemove', { sessionId, photoId, ...(reason ? { reason } : {}) }, as)
const view = async (sessionId: string, as: string) => expectOk(await env.call<View>('session', 'minutes', { sessionId }, as))
const keptFiles = () => (existsSync(join(env.dir, 'files', 'kept')) ? readdirSync(join(env.dir, 'files', 'kept')).filter((f) => f.endsWith('.bin')) : [])

describe('会议纪实 photos', () => {
  it('officers add JPEG and PNG, up to six; the seventh, a GIF, a PDF named .jpg, an empty and a too-large one are refused in words', async () => {
    const s = await addSession(env)
    const first = expectOk(await add(s._id, fakeJpeg()))
    expect(first).toMatchObject({ count: 1, photo: { type: 'jpeg', bytes: 2048, afterLock: false } })
    expect(first.photo.url).toMatch(/^\/files\/kept\/[a-f0-9]{32}\?e=\d+&s=[a-f0-9]{64}$/)
    expect(expectOk(await add(s._id, tinyPng(), BR2.committee)).photo.type).toBe('png')

    const refused = async (bytes: Uint8Array) => expectFail(await add(s._id, bytes), 'INVALID_INPUT').message
    expect(await refused(Buffer.from('GIF89a\x01\x00\x01\x00'))).toBe('只能添加 JPG、PNG 或 WebP 格式的照片')
    expect(await refused(Buffer.from('%PDF-1.7\n% a report renamed 会议.jpg'))).toBe('只能添加 JPG、PNG 或 WebP 格式的照片')
    expect(await refused(new Uint8Array(0))).toBe('照片是空的，请重新选择')
    expect(await refused(fakeJpeg(2 * 1024 * 1024 + 1))).toBe('照片太大（超过 2 MB），请选择较小的照片')

    for (let i = 3; i <= 6; i++) expect(expectOk(await add(s._id, fakeJpeg(1000 + i))).count).toBe(i)
    expect(await refused(fakeJpeg())).toBe('每场活动最多保存 6 张照片，请先删掉一张再添加')
    // Refusals store nothing: six files for six photos.
    expect(keptFiles()).toHaveLength(6)
    const rec = await view(s._id, BR2.secretary)
    expect(rec.photos.map((p) => p.bytes)).toEqual([2048, tinyPng().length, 1003, 1004, 1005, 1006])
    // Photos are not the record's text: adding them spends no version an officer's edit rests on.
    expect(rec.minutes.updatedAt).toBeNull()

    const audit = (await env.db.collection('audit').where({ action: 'minutes.photoAdd' }).get()).data
    expect(audit).toHaveLength(6)
    expect(audit).toContainEqual(expect.objectContaining({ actor: BR2.committee, target: { type: 'session', id: s._id } }))
  })

  it('adds at the same moment cannot pass the limit: the slots are the count', async () => {
    const s = await addSession(env)
    for (let i = 0; i < 4; i++) expectOk(await add(s._id, fakeJpeg(4000 + i)))
    const outcomes = await Promise.all([0, 1, 2, 3].map((i) => add(s._id, fakeJpeg(5000 + i), i % 2 ? BR2.committee : BR2.secretary)))
    expect(outcomes.filter((r) => r.ok)).toHaveLength(2)
    for (const r of outcomes.filter((x) => !x.ok)) expect(expectFail(r, 'INVALID_INPUT').message).toBe('每场活动最多保存 6 张照片，请先删掉一张再添加')
    expect((await view(s._id, BR2.secretary)).photos).toHaveLength(6)
    // The refused ones' files, stored before the count was settled, are removed again.
    expect(keptFiles()).toHaveLength(6)
  })

  it('a removed photo is gone from the record and from the store, and frees its place', async () => {
    const s = await addSession(env)
    const photos = []
    for (let i = 0; i < 6; i++) photos.push(expectOk(await add(s._id, fakeJpeg(3000 + i))).photo)
    expectOk(await remove(s._id, photos[2].id))
    expect(expectFail(await remove(s._id, photos[2].id), 'NOT_FOUND').message).toBe('这张照片已经删除了，请刷新页面')
    expect(keptFiles()).toHaveLength(5)
    const rec = await view(s._id, BR2.member)
    expect(rec.photos.map((p) => p.id)).not.toContain(photos[2].id)
    // The freed place takes a new photo with a new id: a stale page cannot remove it by the old one.
    const again = expectOk(await add(s._id, tinyPng())).photo
    expect(again.id).not.toBe(photos[2].id)
    expect(again.id.startsWith('p3_')).toBe(true)
    expectFail(await remove(s._id, photos[2].id), 'NOT_FOUND')
    expect((await env.db.collection('audit').where({ action: 'minutes.photoRemove' }).get()).data).toHaveLength(1)
  })

  it('after the lock a photo may be added (marked) or removed with a reason, and the record says so', async () => {
    const s = await addSession(env)
    const before = expectOk(await add(s._id, fakeJpeg())).photo
    env.clock.set(s.endAt + MIN)
    const v = expectOk(
      await env.call<{ updatedAt: number }>('session', 'minutesSave', { sessionId: s._id, patch: { chairId: BR2.secretary, recorderId: BR2.committee, agenda: '学习党章', decisions: '开展志愿服务' }, baseUpdatedAt: null }, BR2.secretary)
    ).updatedAt
    expectOk(await env.call('session', 'minutesLock', { sessionId: s._id, baseUpdatedAt: v }, BR2.secretary))

    expect(expectOk(await add(s._id, tinyPng(), BR2.committee)).photo.afterLock).toBe(true)
    expect(expectFail(await remove(s._id, before.id), 'INVALID_INPUT').message).toBe('记录已经锁定，删除照片要写明原因')
    expectOk(await remove(s._id, before.id, BR2.secretary, '照片拍到了非党员群众'))
    const rec = await view(s._id, BR2.member)
    expect(rec.photos).toEqual([expect.objectContaining({ type: 'png', afterLock: true })])
    expect(rec.photoRemovals).toEqual([expect.objectContaining({ reason: '照片拍到了非党员群众', byName: expect.any(String) })])
    expect(rec.photoRemovals[0].byName).not.toBe('')
    const audit = (await env.db.collection('audit').where({ action: 'minutes.photoRemove' }).get()).data
    expect(audit).toEqual([expect.objectContaining({ detail: expect.objectContaining({ afterLock: true, reason: '照片拍到了非党员群众' }) })])
  })

  it('only officers of the branch add or remove; members expected see and fetch them; others see nothing', async () => {
    const s = await addSession(env)
    const committeeOnly = await addSession(env, { audience: { kind: 'committee' } })
    const photo = expectOk(await add(s._id, fakeJpeg())).photo
    for (const who of [BR2.member, DEMO_PEOPLE.secretary3]) {
      expectFail(await add(s._id, fakeJpeg(), who), 'FORBIDDEN')
      expectFail(await remove(s._id, photo.id, who), 'FORBIDDEN')
    }
    expectFail(await env.call('session', 'minutesPhotoAdd', { sessionId: s._id, photo: { content: b64(fakeJpeg()) } }, null), 'FORBIDDEN')
    expectFail(await env.call('session', 'minutes', { sessionId: s._id }, DEMO_PEOPLE.secretary3), 'FORBIDDEN')
    expectOk(await add(committeeOnly._id, tinyPng()))
    expectFail(await env.call('session', 'minutes', { sessionId: committeeOnly._id }, BR2.member), 'FORBIDDEN')
    // A file id is for the mini-program's uploads only, and only from their folder.
    const foreign = expectFail(await env.call('session', 'minutesPhotoAdd', { sessionId: s._id, photo: { fileId: 'cloud://env.x/exports/abc/台账.xlsx' } }, BR2.secretary), 'INVALID_INPUT')
    expect(foreign.message).toBe('照片没有上传成功，请重新选择')
    expectFail(await env.call('session', 'minutesPhotoAdd', { sessionId: s._id, photo: { content: 'not base64!' } }, BR2.secretary), 'INVALID_INPUT')
    expectFail(await env.call('session', 'minutesPhotoRemove', { sessionId: s._id, photoId: '../x' }, BR2.secretary), 'INVALID_INPUT')

    const mine = await view(s._id, BR2.member)
    expect(mine.photos).toHaveLength(1)
    const app = await buildApp({ db: env.db, secret: TEST_SECRET, production: false, clock: env.clock, quiet: true, filesDir: join(env.dir, 'files') })
    const base = await app.listen({ host: '127.0.0.1', port: 0 })
    const status = async (url: string) => (await fetch(base + url)).status
    try {
      const got = await fetch(base + mine.photos[0].url)
      expect(got.status).toBe(200)
      expect(got.headers.get('content-type')).toBe('image/jpeg')
      expect(Buffer.from(await got.arrayBuffer()).equals(fakeJpeg())).toBe(true)
      const id = /kept\/([a-f0-9]{32})/.exec(mine.photos[0].url)![1]
      const tampered = mine.photos[0].url.replace(/s=[a-f0-9]/, (m) => (m.endsWith('0') ? 's=1' : 's=0'))
      expect(await status(tampered)).toBe(404)
      expect(await status(`/files/kept/..%2Furl.key?e=${T0 + 1e6}&s=${'0'.repeat(64)}`)).toBe(404)
      expect(await status(`/files/kept/${id}`)).toBe(404)
      // Links expire like CloudBase's temporary ones; a fresh read gives fresh links.
      env.clock.advance(3 * 60 * 60 * 1000)
      expect(await status(mine.photos[0].url)).toBe(404)
      expect(await status((await view(s._id, BR2.member)).photos[0].url)).toBe(200)

      // The HTTP route takes a photo of nearly 2 MB as base64 (above the 256 KB default).
      const post = async (fn: string, body: unknown, token?: string) =>
        (await (await fetch(`${base}/api/${fn}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) })).json()) as {
          ok: boolean
          data: { token: string; count: number }
        }
      const { token } = (await post('auth', { action: 'devLogin', memberId: BR2.secretary })).data
      const big = await post('session', { action: 'minutesPhotoAdd', sessionId: s._id, photo: { content: b64(fakeJpeg(2 * 1024 * 1024 - 10)) } }, token)
      expect([big.ok, big.data.count]).toEqual([true, 2])
    } finally {
      await app.close()
    }
  })
})
