/**
 * 会议纪实 photos through the deployable session bundle on the CloudBase
 * emulator (real wx-server-sdk and its storage calls): the phone's upload to
 * minutes-uploads/ is read back, checked, kept under minutes/<session>/ and
 * the upload deleted; a member reads the photo through its temporary link;
 * the wrong type, the too large and a file from another folder are refused
 * in words; a removal deletes the kept file.
 */
import { DEMO_PEOPLE } from '../../server/seed/people'
import { cbFail, cbOk, makeCloudbaseEnv, type CloudbaseEnv } from '../helpers/cloudbase-env'
import { fakeJpeg, tinyPng } from '../helpers/photos'
import { HOUR } from './journeys.fixtures'

jest.setTimeout(120_000)

const SECRETARY = DEMO_PEOPLE.secretary2
let env: CloudbaseEnv

beforeAll(async () => {
  env = await makeCloudbaseEnv({ latencyMs: 10 })
})
afterAll(async () => {
  await env?.close()
})

type Storage = { data: { url: string; token: string; fileId: string; download_list: Array<{ code: string; tempFileURL: string }> } }
const storage = async (body: Record<string, unknown>): Promise<Storage> =>
  (await (await fetch(env.emulator.url + '?env=x&seqId=1', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json()) as Storage

/** What Taro.cloud.uploadFile does from the phone: a cloud path, then the bytes PUT to COS. */
async function upload(path: string, bytes: Uint8Array): Promise<string> {
  const meta = await storage({ action: 'storage.getUploadMetadata', path, method: 'put' })
  const put = await fetch(meta.data.url, { method: 'PUT', headers: { 'x-cos-security-token': meta.data.token }, body: Buffer.from(bytes) })
  expect(put.status).toBe(200)
  return meta.data.fileId
}
const exists = async (fileId: string) => (await storage({ action: 'storage.batchGetDownloadUrl', file_list: [{ fileid: fileId, max_age: 60 }] })).data.download_list[0].code === 'SUCCESS'

type View = { photos: Array<{ id: string; url: string; type: string; afterLock: boolean }> }

describe('会议纪实 photos on CloudBase', () => {
  it('an uploaded photo is checked, kept under the session and readable by a member; refusals are in words', async () => {
    const start = env.now() - 2 * 24 * HOUR
    const recorded = cbOk(
      await env.call<{ session: { _id: string } }>(
        'session',
        'record',
        {
          clientId: 'cloud-photos-1',
          branchId: 'br_2',
          type: 'group_study',
          title: '集中学习（照片）',
          startAt: start,
          endAt: start + 2 * HOUR,
          venue: { name: '一楼会议室' },
          attendance: [{ memberId: DEMO_PEOPLE.member2, state: 'attended' }]
        },
        SECRETARY
      )
    )
    const sessionId = recorded.session._id
    const add = (fileId: string, as: string = SECRETARY) => env.call<{ photo: { id: string; url: string }; count: number }>('session', 'minutesPhotoAdd', { sessionId, photo: { fileId } }, as)

    const jpeg = fakeJpeg(50_000)
    const uploaded = await upload('minutes-uploads/a1b2c3-photo.jpg', jpeg)
    const added = await add(uploaded)
    expect(cbOk(added).count).toBe(1)
    expect(added.ms).toBeLessThan(3000)
    // The checked bytes are kept under a path the server chose; the phone's upload is gone.
    expect(await exists(uploaded)).toBe(false)

    const mine = cbOk(await env.call<View>('session', 'minutes', { sessionId }, DEMO_PEOPLE.member2))
    expect(mine.photos).toEqual([expect.objectContaining({ type: 'jpeg', afterLock: false })])
    expect(mine.photos[0].url).toContain(`/cos/minutes/${sessionId}/`)
    const got = Buffer.from(await (await fetch(encodeURI(mine.photos[0].url))).arrayBuffer())
    expect(got.equals(jpeg)).toBe(true)

    const gif = cbFail(await add(await upload('minutes-uploads/d4-photo.jpg', Buffer.from('GIF89a\x01\x00\x01\x00'))), 'INVALID_INPUT')
    expect(gif.message).toBe('只能添加 JPG、PNG 或 WebP 格式的照片')
    const big = cbFail(await add(await upload('minutes-uploads/e5-photo.jpg', fakeJpeg(2 * 1024 * 1024 + 1))), 'INVALID_INPUT')
    expect(big.message).toBe('照片太大（超过 2 MB），请选择较小的照片')
    const elsewhere = cbFail(await add(await upload('exports/f6/台账.xlsx', tinyPng())), 'INVALID_INPUT')
    expect(elsewhere.message).toBe('照片没有上传成功，请重新选择')
    cbFail(await add(await upload('minutes-uploads/g7-photo.png', tinyPng()), DEMO_PEOPLE.member2), 'FORBIDDEN')

    const kept = /\/cos\/(minutes\/[^?]+)/.exec(mine.photos[0].url)![1]
    const keptId = uploaded.replace('minutes-uploads/a1b2c3-photo.jpg', decodeURI(kept))
    expect(await exists(keptId)).toBe(true)
    cbOk(await env.call('session', 'minutesPhotoRemove', { sessionId, photoId: mine.photos[0].id }, SECRETARY))
    expect(await exists(keptId)).toBe(false)
    expect(cbOk(await env.call<View>('session', 'minutes', { sessionId }, DEMO_PEOPLE.member2)).photos).toEqual([])
  })
})
