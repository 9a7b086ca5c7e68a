/**
 * The weapp build as a branch secretary and a 党委 admin hold it: the main
 * pages as they see them, then every page of the `secretary/` subpackage,
 * entered from the workbench by taps, rendered by WeChat's component framework
 * with the real handlers on a seeded SQLite file behind `wx.cloud.callFunction`.
 */
import { resolve } from 'path'
import type { Session } from '../../src/core'
import { DEMO_PEOPLE } from '../../server/seed/people'
import { TEST_START } from '../helpers/clock'
import { expectOk } from '../helpers/env'
import { makeBackend, type Backend } from './harness/backend'
import { loadMiniProgram, type MiniProgram } from './harness/mini-program'
import { byClass, byText, expectSees, tap, tapTo, type, waitFor } from './harness/screen'
import type { OrgTodo } from '../../src/core/functions/org'

jest.setTimeout(30_000)

const WEAPP = resolve(__dirname, '..', '..', 'dist', 'weapp')

let be: Backend
let mp: MiniProgram
const names = new Map<string, string>()
let next: Session
/** What stands between the pages and the handlers; a test may swap it (e.g. to lose a reply). */
let callFunction: (name: string, data: Record<string, unknown>) => Promise<unknown>

const as = (memberId: string) => ({ openid: `dev_${memberId}`, source: 'wechat' as const })

beforeAll(async () => {
  jest.useFakeTimers({ now: TEST_START, advanceTimers: true })
  be = await makeBackend()
  for (const m of (await be.env.db.collection('members').where({ branchId: 'br_2' }).get()).data as Array<{ _id: string; name: string }>) names.set(m._id, m.name)
  const { data } = await be.env.db.collection('sessions').where({ branchId: 'br_2', status: 'scheduled' }).get()
  next = (data as Session[]).filter((s) => s.endAt > TEST_START).sort((a, b) => a.startAt - b.startAt)[0]
  // Something for the secretary to decide: a member asks leave for the next session.
  expectOk(await be.env.call('checkin', 'requestLeave', { sessionId: next._id, reason: '在外地出差，回来后补学。' }, as(DEMO_PEOPLE.member2)))
  be.actAs(DEMO_PEOPLE.secretary2)
  callFunction = be.callFunction
  mp = loadMiniProgram({ weappDir: WEAPP, callFunction: (name, data) => callFunction(name, data) })
})

afterAll(() => {
  be?.env.close()
  jest.useRealTimers()
})

const secretaryName = () => names.get(DEMO_PEOPLE.secretary2)!
const member2 = () => names.get(DEMO_PEOPLE.member2)!

async function fromWorkbench(tool: string, route: string, expected: Array<string | RegExp>) {
  const page = await tapTo(mp, tool, route)
  await expectSees(mp, page, expected)
  return page
}

describe('a branch secretary in the mini-program', () => {
  it('sees the main pages as themselves, with the workbench entry on home', async () => {
    const home = await mp.launch('/pages/index/index')
    await expectSees(mp, home, [secretaryName(), '支部书记', '书记工作台'])
    await expectSees(mp, await mp.tabTo('签到'), ['扫码签到', next.title])
    await expectSees(mp, await tapTo(mp, next.title, 'pages/session/index'), [next.title, '我的情况'])
    await mp.navigateBack()
    await expectSees(mp, await mp.tabTo('笔记'), ['15,000 字', '我的笔记'])
    await expectSees(mp, await tapTo(mp, /学习《/, 'pages/note/index'), [/学习《.+》笔记/, '计入'])
    await expectSees(mp, await tapTo(mp, '修改', 'pages/note-edit/index'), ['标题', '正文'])
    await mp.navigateBack()
    await mp.navigateBack()
    await expectSees(mp, await mp.tabTo('排行'), ['支部内排行 · 第二党支部', member2()])
    const me = await mp.tabTo('我的')
    await expectSees(mp, me, [secretaryName(), '支部书记', '我的组织生活记录'])
    await expectSees(mp, await tapTo(mp, '我的积分', 'pages/points/index'), ['积分明细'])
    await mp.navigateBack()
    await expectSees(mp, await tapTo(mp, '我的档案', 'pages/archive/index'), [`${secretaryName()} `, '党员日常教育管理个人档案'])
    await mp.navigateBack()
    await expectSees(mp, await tapTo(mp, '支部发来的提醒', 'pages/inbox/index'), ['消息'])
    await expectSees(mp, await mp.launch('/pages/login/index'), ['无需登录'])
  })

  it('enters the secretary subpackage from home and sees what is next', async () => {
    await mp.tabTo('首页')
    const bench = await tapTo(mp, '书记工作台', 'secretary/index/index')
    await expectSees(mp, bench, ['书记工作台', '下一场活动', next.title, '请假审批', '党员名册'])
    // What waits, above the tools, with the counts org.todo gives (1 leave: the request above).
    const t = expectOk(await be.env.call<OrgTodo>('org', 'todo', { branchId: 'br_2' }, as(DEMO_PEOPLE.secretary2)))
    expect(t.leaves).toBe(1)
    const rows: Array<[string, string, number]> = [
      ['leaves', '请假待审批', t.leaves],
      ['notes', '笔记待审阅', t.notes],
      ['makeups', '补学待审阅', t.makeups],
      ['joins', '入支部待确认', t.joins],
      ['week', '本周活动', t.sessionsThisWeek]
    ]
    for (const [key, label, count] of rows) {
      await waitFor(`${label} ${count} on the workbench`, () => byClass(bench, `workbench-todo-${key}`)[0]?.textContent === `${label}${count}`)
    }
  })

  it('decides leave: the member who asked is listed with the reason', async () => {
    await fromWorkbench('请假审批', 'secretary/leaves/index', ['待审批', member2(), '在外地出差', next.title])
    await mp.navigateBack()
  })

  it('opens the check-in screen of the next session from the workbench', async () => {
    await fromWorkbench('打开签到大屏', 'secretary/qr/index', [next.title])
    await mp.navigateBack()
  })

  it('schedules, lists sessions, and from a past one opens its roster, the make-up tools and its 会议记录', async () => {
    await fromWorkbench('安排活动', 'secretary/schedule/index', ['活动类型', '活动名称', '签到'])
    await mp.navigateBack()
    await fromWorkbench('活动列表', 'secretary/sessions/index', ['安排活动', '11月支委会', '11月主题党日'])
    // A meeting held on paper is entered from here, with everyone the branch expects listed to mark.
    await expectSees(mp, await tapTo(mp, /补录一场已开过的活动/, 'secretary/record/index'), ['补录一场活动', '签到情况', secretaryName(), member2(), '其余都出席'])
    await mp.navigateBack()
    const roster = await tapTo(mp, '签到情况', 'secretary/qr/index')
    await expectSees(mp, roster, ['签到已结束', '11月支委会', secretaryName()])
    await mp.navigateBack()
    await expectSees(mp, await tapTo(mp, '安排补学', 'secretary/makeup/index'), ['11月支委会'])
    await mp.navigateBack()
    // 会议纪实 (its own subpackage): the record with the attendance the check-ins made, then the officers' form.
    await expectSees(mp, await tapTo(mp, '会议记录', 'minutes/view/index'), ['会议名称', '应到', '实到', '主持人', '（未填写）'])
    await expectSees(mp, await tapTo(mp, '填写记录', 'minutes/edit/index'), ['主持人', '记录人', '议程与学习内容', secretaryName(), '确认无误，锁定记录', '会议照片（选填）', '添加照片'])
    await mp.navigateBack()
    await mp.navigateBack()
    await mp.navigateBack()
    await fromWorkbench('补学审阅', 'secretary/makeups/index', ['补学审阅', '合格'])
    await mp.navigateBack()
  })

  it('opens 民主评议 (its own subpackage) from the workbench, opens the year\'s review, and reaches the own sheet', async () => {
    const manage = await fromWorkbench('民主评议', 'review/manage/index', ['民主评议党员', '开启民主评议', '年度民主评议'])
    tap(byText(manage, /开启 \d{4} 年度民主评议/))
    await expectSees(mp, manage, ['评议进度', '评议结束后才能看到汇总', '还没有评定'])
    await expectSees(mp, await tapTo(mp, '我的自我评价和评定', 'review/index/index'), ['自我评价', '评议其他同志', '最多', '提交评定', member2()])
    await mp.navigateBack()
    await mp.navigateBack()
  })

  it('schedules one session even when the first reply is lost and the secretary taps again', async () => {
    const page = await fromWorkbench('安排活动', 'secretary/schedule/index', ['活动类型', '活动名称'])
    type(byClass(page, 'schedule-title-input')[0], '12月主题党日：重复提交测试')
    type(byClass(page, 'schedule-venue-input')[0], '第二党支部活动室')
    const sent: Array<Record<string, unknown>> = []
    callFunction = async (name, data) => {
      if (name !== 'session' || data.action !== 'create') return be.callFunction(name, data)
      sent.push(data)
      const result = await be.callFunction(name, data)
      // The first create is written, but its answer never reaches the phone.
      if (sent.length === 1) throw new Error('request:fail timeout')
      return result
    }
    try {
      tap(byClass(page, 'schedule-submit')[0])
      await waitFor('the refusal shown', () => byClass(page, 'schedule-error')[0])
      tap(byClass(page, 'schedule-submit')[0])
      await expectSees(mp, page, ['查看活动列表', '12月主题党日：重复提交测试'])
    } finally {
      callFunction = be.callFunction
    }
    expect(sent).toHaveLength(2)
    expect(typeof sent[0].clientId).toBe('string')
    expect(sent[1].clientId).toBe(sent[0].clientId)
    const { data } = await be.env.db.collection('sessions').where({ branchId: 'br_2', title: '12月主题党日：重复提交测试' }).get()
    expect(data).toHaveLength(1)
    await mp.navigateBack()
  })

  it('reads attendance, warnings, rankings and the quarterly report', async () => {
    await fromWorkbench('考勤', 'secretary/attendance/index', ['三会一课完成情况', '领导干部双重组织生活'])
    await mp.navigateBack()
    await fromWorkbench('双色预警', 'secretary/warnings/index', ['双色预警'])
    await mp.navigateBack()
    const ranking = await fromWorkbench('排行与积分', 'secretary/ranking/index', ['本支部党员 · 第二党支部', member2()])
    void ranking
    await expectSees(mp, await tapTo(mp, member2(), 'secretary/member-points/index'), [member2(), '积分'])
    await mp.navigateBack()
    await mp.navigateBack()
    await fromWorkbench('季度通报', 'secretary/report/index', ['示范机关党委', '党建工作通报', '红旗党支部候选', '第二党支部'])
    await mp.navigateBack()
  })

  it('reviews notes: the branch list, one member, one note', async () => {
    await fromWorkbench('学习笔记', 'secretary/notes/index', ['年终检查', '共 12 人', member2()])
    await expectSees(mp, await tapTo(mp, member2(), 'secretary/notes/member/index'), [member2(), '学习笔记'])
    await expectSees(mp, await tapTo(mp, /学习《/, 'secretary/notes/read/index'), [/学习《.+》笔记/, '计入', '待审阅'])
    await mp.navigateBack()
    await mp.navigateBack()
    await mp.navigateBack()
  })

  it('keeps the branch’s study materials, the 党委’s listed beside them', async () => {
    await fromWorkbench('学习材料', 'secretary/materials/index', ['学习材料', '添加学习材料', '第二党支部的学习材料', '还没有添加学习材料', '上级党组织的学习材料', '在党建工作推进会上的讲话', '已生效'])
    await mp.navigateBack()
  })

  it('sends reminders and reads the log; exports ledgers; keeps the roster', async () => {
    await fromWorkbench('发提醒', 'secretary/remind/index', ['提醒谁', '常用提醒'])
    await expectSees(mp, await tapTo(mp, '发送记录', 'secretary/remind-log/index'), ['提醒发送记录'])
    await mp.navigateBack()
    await mp.navigateBack()
    await fromWorkbench('台账导出', 'secretary/exports/index', ['签到台账', '笔记台账', '积分台账', '导出 Excel'])
    await mp.navigateBack()
    await fromWorkbench('党员名册', 'secretary/members/index', ['DEMO0002', '在册党员（12 人）', member2()])
    await expectSees(mp, await tapTo(mp, member2(), 'secretary/member/index'), [member2(), '查看个人档案'])
    await mp.navigateBack()
    await mp.navigateBack()
  })
})

describe('a 党委 admin in the mini-program', () => {
  it('manages the organisation, the roster import and the rules', async () => {
    be.actAs(DEMO_PEOPLE.admin)
    await mp.launch('/pages/index/index')
    await expectSees(mp, mp.current(), ['王建国'])
    // An admin is not a branch secretary: the entry and the page say 管理工作台.
    await expectSees(mp, await tapTo(mp, '管理工作台', 'secretary/index/index'), ['管理工作台', '请假待审批'])
    await fromWorkbench('组织管理', 'secretary/org/index', ['示范机关党委', '第一党支部', '第二党支部', '第三党支部（离退休）'])
    await mp.navigateBack()
    await fromWorkbench('名册导入', 'secretary/import/index', ['名册导入', '姓名', '从微信聊天中选择名册文件'])
    await mp.navigateBack()
    await fromWorkbench('规则与定额', 'secretary/settings/index', ['规则与定额', '笔记定额', '在职党员', '离退休党员', '积分规则', '排行公开范围', '示范机关党委'])
  })

  it('reads and answers 意见建议, entered from 我的', async () => {
    expectOk(await be.env.call('remind', 'feedback', { text: '签到码太小，后排看不清', anonymous: true, clientId: 'wx-fb-1' }, as(DEMO_PEOPLE.member2)))
    await mp.launch('/pages/me/index')
    await expectSees(mp, await tapTo(mp, '意见建议', 'pages/feedback/index'), ['不让支部看到我是谁', '查看大家的意见建议并回复'])
    await expectSees(mp, await tapTo(mp, '查看大家的意见建议并回复', 'secretary/feedback/index'), ['签到码太小，后排看不清', member2(), '对支部匿名', '回复'])
  })
})

describe('the whole mini-program', () => {
  it('every page of app.json was rendered for a secretary or an admin', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const app = require(resolve(WEAPP, 'app.json')) as { pages: string[]; subPackages: Array<{ root: string; pages: string[] }> }
    const secretaryPages = app.subPackages.flatMap((s) => s.pages.map((p) => `${s.root}/${p}`))
    expect(secretaryPages.filter((r) => !mp.visited.has(r))).toEqual([])
    // The secretary saw every main page too (the member suite visits them all as a member).
    expect(app.pages.filter((r) => !mp.visited.has(r))).toEqual([])
  })
})
