/**
 * The page renders must be able to fail: a copy of the weapp build with a
 * template missing from base.wxml (every Text component) and a page whose
 * script throws on load is run through the same harness, and the checks the
 * member and secretary suites rely on have to reject it.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs'
import { tmpdir } from 'os'
import { join, resolve } from 'path'
import { DEMO_PEOPLE } from '../../server/seed/people'
import { TEST_START } from '../helpers/clock'
import { makeBackend, type Backend } from './harness/backend'
import { loadMiniProgram, type MiniProgram } from './harness/mini-program'
import { expectSees } from './harness/screen'

jest.setTimeout(30_000)

const WEAPP = resolve(__dirname, '..', '..', 'dist', 'weapp')
let copy: string
let be: Backend
let mp: MiniProgram
let name: string

beforeAll(async () => {
  jest.useFakeTimers({ now: TEST_START, advanceTimers: true })
  copy = mkdtempSync(join(tmpdir(), 'zbdk-broken-weapp-'))
  cpSync(WEAPP, copy, { recursive: true })
  // Taro renders a Text node (alias 5) through templates tmpl_<depth>_5: hide them all.
  const base = readFileSync(join(copy, 'base.wxml'), 'utf8')
  const broken = base.replace(/<template name="tmpl_(\d+)_5">/g, '<template name="tmpl_$1_5_gone">')
  expect(broken).not.toBe(base)
  writeFileSync(join(copy, 'base.wxml'), broken)
  writeFileSync(join(copy, 'pages', 'me', 'index.js'), 'throw new Error("a broken page script")\n' + readFileSync(join(copy, 'pages', 'me', 'index.js'), 'utf8'))

  be = await makeBackend()
  name = ((await be.env.db.collection('members').doc(DEMO_PEOPLE.member2).get()).data as unknown as { name: string }).name
  be.actAs(DEMO_PEOPLE.member2)
  mp = loadMiniProgram({ weappDir: copy, callFunction: be.callFunction })
})

afterAll(() => {
  be?.env.close()
  rmSync(copy, { recursive: true, force: true })
  jest.useRealTimers()
})

describe('a broken copy of the weapp build', () => {
  it('a missing template leaves the member name off the page, and the check says so', async () => {
    const home = await mp.launch('/pages/index/index')
    await expect(expectSees(mp, home, [name], 1500)).rejects.toThrow(/pages\/index\/index does not show/)
    expect(mp.errors.join('\n')).toMatch(/Template `tmpl_0_5` not found/)
    mp.errors.length = 0
  })

  it('a page whose script throws cannot be opened', async () => {
    await expect(mp.tabTo('我的')).rejects.toThrow(/a broken page script/)
  })
})
