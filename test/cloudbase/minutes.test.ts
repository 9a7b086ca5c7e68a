/**
 * 会议纪实 through the deployable session bundle on the CloudBase emulator
 * (real wx-server-sdk, the minutes collection as cron.setup makes it,
 * doc-only transactions, 10 ms a call): the record of a meeting reads its
 * attendance from the facts, is filled, locked and corrected in small
 * transactions well within the function's timeout, a member reads it and
 * another branch's secretary is refused; its optional photos go through
 * cloud storage (the phone's upload to minutes-uploads/ read back, checked,
 * kept under minutes/<session>/, the upload deleted, a member reading it by
 * its temporary link; the wrong type, the too large and a file from another
 * folder refused in words; a removal deletes the file); a 专题学习研讨 planned
 * with a study material and speakers, a member's 交流材料 handed in through
 * the note bundle and listed in the record; and a 谈心谈话 recorded from a
 * warning.
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

type View = {
  attendance: { expected: number; present: number; late: number; leave: Array<{ memberId: string; reason?: string }>; absent: unknown[]; over: boolean }
  minutes: { updatedAt: number | null; lockedAt: number | null; content: { agenda: string; decisions: string }; corrections: Array<{ field: string; reason: string }> }
  mayEdit: boolean
  photos: Array<{ id: string; url: string; type: string; afterLock: boolean }>
}

/** A meeting some days ago recorded from its paper sign-in sheet: over, so its record can be locked. */
async function recordMeeting(clientId: string, title: string, attendance: Array<Record<string, string>>, daysAgo = 2) {
  const start = env.now() - daysAgo * 24 * HOUR
  const input = { clientId, branchId: 'br_2', type: 'group_study', title, startAt: start, endAt: start + 2 * HOUR, venue: { name: '一楼会议室' }, attendance }
  return cbOk(await env.call<{ session: { _id: string }; counts: Record<string, number> }>('session', 'record', input, SECRETARY))
}

describe('会议纪实 on CloudBase', () => {
  it('attendance from the facts; fill, lock and correct in small transactions; a member reads it; another branch cannot', async () => {
    const recorded = await recordMeeting('cloud-minutes-1', '集中学习（纸质签到）', [
      ...['m_br_2_01', 'm_br_2_02', 'm_br_2_03', 'm_br_2_04', 'm_br_2_06'].map((memberId) => ({ memberId, state: 'attended' })),
      { memberId: 'm_br_2_07', state: 'late' },
      { memberId: DEMO_PEOPLE.member2, state: 'leave', reason: '住院' }
    ])
    const sessionId = recorded.session._id
    const view = cbOk(await env.call<View>('session', 'minutes', { sessionId }, SECRETARY))
    expect(view.attendance).toMatchObject({ expected: 12, present: 6, late: 1, over: true })
    expect(view.attendance.leave).toEqual([expect.objectContaining({ memberId: DEMO_PEOPLE.member2, reason: '住院' })])
    expect(view.attendance.absent).toHaveLength(recorded.counts.absent)

    env.resetStats()
    const saved = await env.call<{ updatedAt: number }>(
      'session',
      'minutesSave',
      { sessionId, patch: { chairId: SECRETARY, recorderId: 'm_br_2_02', agenda: '学习党章第三章', decisions: '下月开展志愿服务' }, baseUpdatedAt: null },
      SECRETARY
    )
    const v1 = cbOk(saved).updatedAt
    const locked = cbOk(await env.call<{ updatedAt: number; lockedAt: number }>('session', 'minutesLock', { sessionId, baseUpdatedAt: v1 }, SECRETARY))
    cbFail(await env.call('session', 'minutesSave', { sessionId, patch: { decisions: '改掉' }, baseUpdatedAt: locked.updatedAt }, SECRETARY), 'INVALID_INPUT')
    const corrected = await env.call<{ corrections: number }>(
      'session',
      'minutesSave',
      { sessionId, patch: { decisions: '12月开展志愿服务' }, baseUpdatedAt: locked.updatedAt, reason: '更正月份' },
      'm_br_2_02'
    )
    expect(cbOk(corrected).corrections).toBe(1)
    expect(Math.max(...env.stats().txOps)).toBeLessThanOrEqual(5)
    expect(Math.max(saved.ms, corrected.ms)).toBeLessThan(3000)

    const mine = cbOk(await env.call<View>('session', 'minutes', { sessionId }, DEMO_PEOPLE.member2))
    expect(mine.mayEdit).toBe(false)
    expect(mine.minutes).toMatchObject({ lockedAt: locked.lockedAt, content: { agenda: '学习党章第三章', decisions: '12月开展志愿服务' } })
    expect(mine.minutes.corrections).toEqual([expect.objectContaining({ field: 'decisions', reason: '更正月份' })])
    expect(mine.attendance.leave).toEqual([expect.not.objectContaining({ reason: expect.anything() })])

    cbFail(await env.call('session', 'minutes', { sessionId }, DEMO_PEOPLE.secretary3), 'FORBIDDEN')
    cbFail(await env.call('session', 'minutesSave', { sessionId, patch: { agenda: '改掉' }, baseUpdatedAt: null }, DEMO_PEOPLE.member2), 'FORBIDDEN')
  })

  it('专题学习研讨: planned with a material and speakers, a 交流材料 handed in as a note, listed in the record', async () => {
    const start = env.now() + 2 * 24 * HOUR
    const created = cbOk(
      await env.call<{ sessions: Array<{ _id: string }> }>(
        'session',
        'create',
        { branchId: 'br_2', title: '第四季度专题学习研讨', type: 'seminar', startAt: start, endAt: start + 2 * HOUR, venue: { name: '三楼会议室' }, audience: { kind: 'branch' } },
        SECRETARY
      )
    )
    const sessionId = created.sessions[0]._id
    const materials = cbOk(await env.call<{ items: Array<{ _id: string; title: string }> }>('note', 'materials', { orgId: 'br_2' }, SECRETARY))
    const material = materials.items[0]
    env.resetStats()
    const plan = { topic: '以学铸魂、以学增智', speakerIds: [DEMO_PEOPLE.member2, 'm_br_2_02'], materialIds: [material._id] }
    const saved = await env.call<{ updatedAt: number }>('session', 'minutesSave', { sessionId, patch: plan, baseUpdatedAt: null }, SECRETARY)
    cbOk(saved)
    expect(saved.ms).toBeLessThan(3000)
    cbFail(await env.call('session', 'minutesSave', { sessionId, patch: { speakerIds: ['m_br_1_03'] }, baseUpdatedAt: cbOk(saved).updatedAt }, SECRETARY), 'INVALID_INPUT')

    const remarks = '这次专题学习研讨前，我对照讲话把自己这一年的工作重新梳理了一遍，发现在联系群众这件事上，我常常是等群众上门，很少主动走出去听意见。下一步我准备每月抽出两个半天到服务窗口和社区走一走。'
    const note = cbOk(await env.call<{ note: { _id: string; words: number; sessionId: string } }>('note', 'save', { kind: 'essay', title: '研讨交流材料', content: remarks, sessionId }, DEMO_PEOPLE.member2))
    expect(note.note.sessionId).toBe(sessionId)

    type Seminar = { materials: Array<{ _id: string; title: string }>; speakers: Array<{ memberId: string }>; exchange: Array<{ memberId: string; notes: Array<{ _id: string; words: number }> }> }
    const officer = cbOk(await env.call<Seminar>('session', 'minutes', { sessionId }, SECRETARY))
    expect(officer.materials).toEqual([{ _id: material._id, title: material.title }])
    expect(officer.speakers.map((x) => x.memberId)).toEqual(plan.speakerIds)
    expect(officer.exchange).toHaveLength(12)
    expect(officer.exchange.find((r) => r.memberId === DEMO_PEOPLE.member2)!.notes).toEqual([{ _id: note.note._id, title: '研讨交流材料', words: note.note.words, creditedWords: note.note.words }])
    const member = cbOk(await env.call<Seminar>('session', 'minutes', { sessionId }, DEMO_PEOPLE.member2))
    expect(member.exchange.map((r) => r.memberId)).toEqual([DEMO_PEOPLE.member2])
    cbFail(await env.call('note', 'save', { kind: 'essay', title: '交流材料', content: remarks + '另写一段。', sessionId }, DEMO_PEOPLE.secretary3), 'FORBIDDEN')
  })

  it('photos: an upload is checked, kept under the session and readable by a member; refusals are in words', async () => {
    const recorded = await recordMeeting('cloud-photos-1', '集中学习（照片）', [{ memberId: DEMO_PEOPLE.member2, state: 'attended' }], 3)
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

    const gifUpload = await upload('minutes-uploads/d4-photo.jpg', Buffer.from('GIF89a\x01\x00\x01\x00'))
    const gif = cbFail(await add(gifUpload), 'INVALID_INPUT')
    expect(gif.message).toBe('只能添加 JPG、PNG 或 WebP 格式的照片')
    // A refused upload is not left behind in storage either.
    expect(await exists(gifUpload)).toBe(false)
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

  it('谈心谈话: recorded once per form by an officer through the stats bundle, shown on the warning', async () => {
    type W = { warnings: Array<{ memberId: string; talk?: { at: number; byName: string; note?: string } }> }
    const before = cbOk(await env.call<W>('stats', 'warnings', { branchId: 'br_3' }, DEMO_PEOPLE.secretary3))
    const who = before.warnings.find((w) => w.memberId !== DEMO_PEOPLE.secretary3)!.memberId
    const input = { memberId: who, at: env.now() - HOUR, note: '了解到家中困难', clientId: 'cloud-talk-1' }
    expect(cbOk(await env.call<{ duplicate: boolean }>('stats', 'recordTalk', input, DEMO_PEOPLE.secretary3)).duplicate).toBe(false)
    expect(cbOk(await env.call<{ duplicate: boolean }>('stats', 'recordTalk', input, DEMO_PEOPLE.secretary3)).duplicate).toBe(true)
    const after = cbOk(await env.call<W>('stats', 'warnings', { branchId: 'br_3' }, DEMO_PEOPLE.secretary3))
    expect(after.warnings.find((w) => w.memberId === who)!.talk).toMatchObject({ at: input.at, note: '了解到家中困难' })
    cbFail(await env.call('stats', 'recordTalk', { ...input, clientId: 'cloud-talk-2' }, DEMO_PEOPLE.secretary2), 'FORBIDDEN')
  })
})
