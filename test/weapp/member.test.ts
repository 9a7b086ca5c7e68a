/**
 * The weapp build as a member holds it: every main-package page rendered by
 * WeChat's component framework (miniprogram-simulate, WXML through wcc), its
 * data from the real function handlers on a seeded SQLite file, reached by
 * taps, the tab bar and back, as a person would move through the app.
 */
import { resolve } from 'path'
import type { Note, Session } from '../../src/core'
import { DEMO_PEOPLE } from '../../server/seed/people'
import { TEST_START } from '../helpers/clock'
import { expectOk } from '../helpers/env'
import { makeBackend, type Backend } from './harness/backend'
import { loadMiniProgram, type MiniProgram } from './harness/mini-program'
import { byClass, byText, expectSees, tap, type, waitFor } from './harness/screen'

jest.setTimeout(30_000)

const WEAPP = resolve(__dirname, '..', '..', 'dist', 'weapp')
const YEAR = new Date(TEST_START + 8 * 3600_000).getUTCFullYear()
const fmt = (n: number) => n.toLocaleString('en-US')

let be: Backend
let mp: MiniProgram
const who = DEMO_PEOPLE.member2
let name: string

beforeAll(async () => {
  // The page's clock is the test clock: "today", "this week" and greetings are fixed.
  jest.useFakeTimers({ now: TEST_START, advanceTimers: true })
  be = await makeBackend()
  name = ((await be.env.db.collection('members').doc(who).get()).data as unknown as { name: string }).name
  be.actAs(who)
  mp = loadMiniProgram({ weappDir: WEAPP, callFunction: be.callFunction })
})

afterAll(() => {
  be?.env.close()
  jest.useRealTimers()
})

describe('a member in the mini-program', () => {
  it('home greets them by name with their branch, the next session and their year; the notes row leads to the tab', async () => {
    const home = await mp.launch('/pages/index/index')
    await expectSees(mp, home, [name, '第二党支部', '下次活动', '出勤率'])
    // An ordinary member has no workbench entry.
    expect(byText(home, '书记工作台')).toBeUndefined()
    tap(await waitFor('the notes row', () => byClass(home, 'home-year-notes')[0]))
    const notes = await waitFor('the notes tab', () => mp.current().route === 'pages/notes/index' && mp.current())
    const progress = expectOk(await be.env.call<{ creditedWords: number; wordQuota: number; essays: number }>('note', 'progress', { year: YEAR }, { openid: `dev_${who}`, source: 'wechat' }))
    await expectSees(mp, notes, [`${fmt(progress.creditedWords)} / ${fmt(progress.wordQuota)}`, `心得体会 ${progress.essays} / 4 篇`])
  })

  it('opens a note from the list and goes back', async () => {
    const { notes } = expectOk(await be.env.call<{ notes: Note[] }>('note', 'list', { year: YEAR }, { openid: `dev_${who}`, source: 'wechat' }))
    const latest = notes[0]
    const list = mp.current()
    await expectSees(mp, list, [latest.title])
    tap(byText(list, latest.title))
    const note = await waitFor('the note page', () => mp.current().route === 'pages/note/index' && mp.current())
    const full = ((await be.env.db.collection('notes').doc(latest._id).get()).data as unknown as Note).content
    await expectSees(mp, note, [latest.title, full.slice(20, 40)])
    const back = await mp.navigateBack()
    expect(back.route).toBe('pages/notes/index')
  })

  it('writes a note in the editor and sees it counted by the server', async () => {
    tap(byText(mp.current(), '写笔记'))
    const edit = await waitFor('the editor', () => mp.current().route === 'pages/note-edit/index' && mp.current())
    await expectSees(mp, edit, ['标题'])
    const content = '学习了“两学一做”的要求，结合本职工作，要把学习成果转化为推动工作的实际成效。'
    type(byClass(edit, 'note-title-input')[0], '学习会议精神的笔记')
    type(byClass(edit, 'note-content-input')[0], content)
    tap(byClass(edit, 'note-save')[0])
    await expectSees(mp, edit, ['已保存'])
    // The figure on screen is the server's count, the one kept in the database.
    const { data } = await be.env.db.collection('notes').where({ memberId: who, title: '学习会议精神的笔记' }).get()
    expect(data).toHaveLength(1)
    const stored = data[0] as Note
    expect(stored.content).toBe(content)
    await expectSees(mp, edit, [`${stored.words} 字`])
  })

  it('the 签到 tab lists the next session; its page shows the member their part', async () => {
    const now = TEST_START
    const { data } = await be.env.db.collection('sessions').where({ branchId: 'br_2', status: 'scheduled' }).get()
    const next = (data as Session[]).filter((s) => s.endAt > now).sort((a, b) => a.startAt - b.startAt)[0]
    const checkin = await mp.tabTo('签到')
    await expectSees(mp, checkin, ['扫码签到', next.title])
    tap(byText(checkin, next.title))
    const session = await waitFor('the session page', () => mp.current().route === 'pages/session/index' && mp.current())
    await expectSees(mp, session, [next.title, '我的情况'])
    expect(session.query.id).toBe(next._id)
  })

  it('排行 shows their own figures even where rankings are for secretaries only', async () => {
    const ranking = await mp.tabTo('排行')
    await expectSees(mp, ranking, ['我的情况', '参会率', '笔记完成率', '仅支部书记及以上可查看排行'])
  })

  it('我的 leads to points, the personal archive and the inbox', async () => {
    // A message from the secretary, sent through the real remind function.
    expectOk(await be.env.call('remind', 'send', { branchId: 'br_2', audience: { kind: 'members', memberIds: [who] }, title: '周五党课请准时参加', body: '地点在第二党支部活动室。', clientId: 'weapp-test-1' }, { openid: `dev_${DEMO_PEOPLE.secretary2}`, source: 'wechat' }))
    const me = await mp.tabTo('我的')
    await expectSees(mp, me, [name, '第二党支部', '我的积分', '我的档案'])

    tap(byText(me, '我的积分'))
    const points = await waitFor('the points page', () => mp.current().route === 'pages/points/index' && mp.current())
    await expectSees(mp, points, ['积分明细', '积分规则'])
    await mp.navigateBack()

    tap(byText(mp.current(), '我的档案'))
    const archive = await waitFor('the archive', () => mp.current().route === 'pages/archive/index' && mp.current())
    await expectSees(mp, archive, [`${name} ${YEAR}年 党员日常教育管理个人档案`, '组织生活'])
    await mp.navigateBack()

    await expectSees(mp, mp.current(), ['1 条未读'])
    tap(byText(mp.current(), '1 条未读'))
    const inbox = await waitFor('the inbox', () => mp.current().route === 'pages/inbox/index' && mp.current())
    await expectSees(mp, inbox, ['周五党课请准时参加'])
    // Opening 消息 read it: back on 我的 the count is gone.
    await mp.navigateBack()
    await expectSees(mp, mp.current(), ['支部发来的提醒'])

    tap(byText(mp.current(), '意见建议'))
    const feedback = await waitFor('the feedback form', () => mp.current().route === 'pages/feedback/index' && mp.current())
    await expectSees(mp, feedback, ['不让支部看到我是谁', '党委管理员仍能看到', '发送'])
    await mp.navigateBack()
  })

  it('the login page tells a WeChat user there is nothing to sign in to', async () => {
    const login = await mp.launch('/pages/login/index')
    await expectSees(mp, login, ['无需登录'])
  })
})

describe('a WeChat user the app has not met', () => {
  it('joins a branch with the invite code and waits for the secretary to confirm', async () => {
    be.actAsStranger('wx_openid_newcomer_1')
    const home = await mp.launch('/pages/index/index')
    await expectSees(mp, home, ['您还没有加入支部', '邀请码'])
    // A mistyped code is refused in words, and nothing is created.
    type(byClass(home, 'join-name')[0], '赵新华')
    type(byClass(home, 'join-code')[0], 'NOPE0000')
    tap(byClass(home, 'join-submit')[0])
    await expectSees(mp, home, ['邀请码'])
    await waitFor('the refusal', () => byClass(home, 'join-error')[0])
    expect((await be.env.db.collection('members').where({ openid: 'wx_openid_newcomer_1' }).get()).data).toHaveLength(0)

    type(byClass(home, 'join-code')[0], 'DEMO0002')
    tap(byClass(home, 'join-submit')[0])
    const joined = await waitFor('the member record', async () => (await be.env.db.collection('members').where({ openid: 'wx_openid_newcomer_1' }).get()).data[0])
    expect(joined).toMatchObject({ name: '赵新华', branchId: 'br_2', joinStatus: 'pending' })
    const text = await expectSees(mp, home, ['赵新华', '正在等待支部书记确认'])
    expect(text).not.toContain('您还没有加入支部')
  })
})
