/**
 * An error while a page renders never leaves a member in front of a blank
 * screen: in the weapp build, a page fed an answer it cannot draw shows the
 * page boundary's plain words and a way on, and reports the error once.
 */
import { resolve } from 'path'
import { DEMO_PEOPLE } from '../../server/seed/people'
import { TEST_START } from '../helpers/clock'
import { makeBackend, type Backend } from './harness/backend'
import { loadMiniProgram, type MiniProgram } from './harness/mini-program'
import { byClass, byText, expectSees, tap, textOf, waitFor, waitForText } from './harness/screen'

jest.setTimeout(30_000)

const WEAPP = resolve(__dirname, '..', '..', 'dist', 'weapp')
let be: Backend
let mp: MiniProgram
let broken = true

beforeAll(async () => {
  jest.useFakeTimers({ now: TEST_START, advanceTimers: true })
  be = await makeBackend()
  be.actAs(DEMO_PEOPLE.member2)
  mp = loadMiniProgram({
    weappDir: WEAPP,
    // A server answer of the right envelope but the wrong shape: what a half-deployed update could send.
    callFunction: async (name, data) => (broken && name === 'note' && data.action === 'progress' ? { ok: true, data: { year: 2026 } } : be.callFunction(name, data))
  })
})

afterAll(() => {
  be?.env.close()
  jest.useRealTimers()
})

it('a page that cannot draw its data shows the boundary, and 重新加载 recovers once the data is right', async () => {
  await mp.launch('/pages/index/index')
  const notes = await mp.tabTo('笔记')
  const text = await waitForText(notes, '页面出了点问题')
  expect(text).toContain('重新加载')
  expect(text).not.toMatch(/TypeError|undefined|stack/i)
  // Reported once, for the developers' logs.
  expect(mp.errors.filter((e) => e.includes('页面渲染出错'))).toHaveLength(1)
  mp.errors.length = 0

  broken = false
  tap(byClass(notes, 'page-trouble-reload')[0])
  await expectSees(mp, notes, ['字数', '我的笔记'])
  expect(textOf(notes)).not.toContain('页面出了点问题')
})

it('返回首页 takes the member home from a broken page', async () => {
  broken = true
  const notes = await mp.launch('/pages/notes/index')
  tap(await waitFor('the boundary', () => textOf(notes).includes('页面出了点问题') && byText(notes, '返回首页')))
  await waitFor('home', () => mp.current().route === 'pages/index/index')
  mp.errors.length = 0
})
