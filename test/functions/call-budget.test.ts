/**
 * Database calls per action as CloudBase would bill them (test/helpers/
 * counting-db.ts): the figures behind the README's budget table, and the
 * budgets themselves (ARCHITECTURE.md: ≤ 8 calls per check-in, no transaction
 * over 50 operations).
 */
import { CallCounter, type CallFigures } from '../helpers/counting-db'
import { expectOk, type TestEnv } from '../helpers/env'
import { HOUR, MIN, addBranch, addOnlineSession, countedEnv, speechText, type Branch } from './call-budget.fixtures'
import { runCron } from './stats-support'

let env: TestEnv
let counter: CallCounter
let br: Branch
const figures = new Map<string, CallFigures>()

async function measure<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const out = await counter.run(name, fn)
  figures.set(name, counter.get(name))
  return out
}

function row(name: string): string {
  const f = figures.get(name)!
  const tx = f.transactions.length
  return `| ${name} | ${f.calls} | ${tx} | ${f.maxTxOps} |`
}

beforeAll(async () => {
  ;({ env, counter } = await countedEnv())
  br = await addBranch(env, 'br_cb', 30)
})
/** Documents written inside the transactions of two measured actions alike: hot documents. */
function sharedWrites(a: string, b: string): string[] {
  const wrote = (name: string) => new Set(figures.get(name)!.transactions.flatMap((t) => t.wrote))
  const other = wrote(b)
  return [...wrote(a)].filter((d) => other.has(d))
}

afterAll(() => {
  env.close()
  if (process.env.BUDGET_DEBUG) for (const [k, f] of figures) console.log(k, JSON.stringify(f.byKind), JSON.stringify(f.transactions.map((t) => t.wrote)))
  const shared = sharedWrites('checkIn, first of the month for member and branch', "checkIn, member's first of the month")
  console.log(
    ['| action | calls | transactions | largest transaction (ops) |', '|---|---|---|---|', ...[...figures.keys()].map(row)].join('\n') +
      `\ndocuments written by two members' check-in transactions alike: ${shared.length} ${JSON.stringify(shared)}`
  )
})

const checkIn = (sessionId: string, as: string) => env.call('checkin', 'checkIn', { sessionId }, as)

test('the figures of each action', async () => {
  const [m1, m2, m3, m4] = br.members
  // November: the branch's year and quarter aggregates come to exist; the session is tallied and out of the way.
  const nov = await addOnlineSession(env, br)
  expectOk(await checkIn(nov._id, m1))
  env.clock.advance(3 * HOUR)
  await runCron(env, 'tally')

  // 1 December, 10:00 in Shanghai: a new month.
  env.clock.set(Date.parse('2026-12-01T02:00:00Z'))
  // The demo sessions that closed meanwhile are counted now, not in the tally measured below.
  await runCron(env, 'tally')
  const s1 = await addOnlineSession(env, br)
  expectOk(await measure('checkIn, first of the month for member and branch', () => checkIn(s1._id, m1)))
  expectOk(await measure("checkIn, member's first of the month", () => checkIn(s1._id, m2)))
  expectOk(await measure('checkIn, retry of the same', () => checkIn(s1._id, m2)))
  const s2 = await addOnlineSession(env, br, 20 * MIN)
  expectOk(await measure('checkIn, steady state', () => checkIn(s2._id, m1)))
  expectOk(await measure('proxyCheckIn, steady state', () => env.call('checkin', 'proxyCheckIn', { sessionId: s2._id, memberId: m2, reason: '补录' }, br.secretary)))

  const content = speechText(1000)
  const saved = expectOk(await measure('note save, new 1,000 characters', () => env.call<{ note: { _id: string; version: number } }>('note', 'save', { kind: 'note', title: '学习体会', content }, m1)))
  // Text no index has seen (the seed indexes the speeches as sources): every posting is new.
  const original = [...speechText(1000, 3)].reverse().join('')
  expectOk(await measure('note save, new 1,000 characters never seen before', () => env.call('note', 'save', { kind: 'note', title: '心得', content: original }, m2)))
  const edited = content.slice(0, 600) + speechText(400, 2)
  expectOk(await measure('note save, edit', () => env.call('note', 'save', { id: saved.note._id, version: saved.note.version, kind: 'note', title: '学习体会', content: edited }, m1)))

  const s3 = await addOnlineSession(env, br, 48 * HOUR)
  expectOk(await measure('requestLeave', () => env.call('checkin', 'requestLeave', { sessionId: s3._id, reason: '出差' }, m4)))
  expectOk(await measure('decideLeave', () => env.call('checkin', 'decideLeave', { sessionId: s3._id, memberId: m4, approve: true }, br.secretary)))

  expectOk(await measure('session cancel (2 checked in, before the tally)', () => env.call('session', 'cancel', { sessionId: s2._id, reason: '临时调整' }, br.secretary)))

  env.clock.advance(3 * HOUR)
  await measure('cron tally, one session, audience of 31', () => runCron(env, 'tally'))
  const absent = br.members.filter((m) => m !== m1 && m !== m2)
  expectOk(await measure(`assignMakeUp, ${absent.length} members`, () => env.call('checkin', 'assignMakeUp', { sessionId: s1._id, memberIds: absent, deadline: env.clock.now() + 7 * 24 * HOUR }, br.secretary)))
  void m3

  // The budgets (ARCHITECTURE.md).
  const steady = figures.get('checkIn, steady state')!
  expect(steady.calls).toBeLessThanOrEqual(8)
  expect(steady.transactions).toHaveLength(1)
  expect([...figures].filter(([, f]) => f.maxTxOps > 50).map(([name, f]) => `${name}: ${f.maxTxOps}`)).toEqual([])
  // A check-in's transaction holds the member's own documents only: nothing another member writes.
  expect(sharedWrites('checkIn, first of the month for member and branch', "checkIn, member's first of the month")).toEqual([])
  expect(figures.get('checkIn, retry of the same')!.transactions.flatMap((t) => (t.committed ? t.wrote : []))).toEqual([])
}, 60_000)
