/**
 * aggregate(): match/group/sort/project/addFields/unwind/count/skip/limit,
 * the `command.aggregate` expression helpers, CloudBase's default of 20
 * results, and a leading match() using the index.
 */
import { Aggregator } from 'mingo'
import type { DbCommand, DocData } from '../../cloudfunctions/_shared/db'
import type { EmbeddedDatabase } from '../../server/db'
import { freshDb, tempDir } from './helpers'

const tmp = tempDir('db-aggregate')
let db: EmbeddedDatabase
let _: DbCommand

const NOTES: DocData[] = [
  { _id: 'n1', memberId: 'm1', branchId: 'b1', year: '2026', words: 1200, tags: ['党史', '理论'] },
  { _id: 'n2', memberId: 'm1', branchId: 'b1', year: '2026', words: 800, tags: ['理论'] },
  { _id: 'n3', memberId: 'm2', branchId: 'b1', year: '2026', words: 3000, tags: [] },
  { _id: 'n4', memberId: 'm3', branchId: 'b2', year: '2026', words: 500, tags: ['党史'] },
  { _id: 'n5', memberId: 'm3', branchId: 'b2', year: '2025', words: 9999 }
]

beforeAll(async () => {
  db = freshDb(tmp.dir)
  _ = db.command
  for (const n of NOTES) await db.collection('notes').add({ data: n })
})
afterAll(() => {
  db.close()
  tmp.cleanup()
})

describe('aggregate()', () => {
  test('match → group (sum, avg, count) → sort', async () => {
    const $ = _.aggregate
    const { list } = await db
      .collection('notes')
      .aggregate()
      .match({ year: '2026' })
      .group({ _id: '$memberId', words: $.sum('$words'), avg: $.avg('$words'), notes: $.sum(1) })
      .sort({ words: -1 })
      .end()
    expect(list).toEqual([
      { _id: 'm2', words: 3000, avg: 3000, notes: 1 },
      { _id: 'm1', words: 2000, avg: 1000, notes: 2 },
      { _id: 'm3', words: 500, avg: 500, notes: 1 }
    ])
  })

  test('match with commands, group by branch, project with expressions', async () => {
    const $ = _.aggregate
    const { list } = await db
      .collection('notes')
      .aggregate()
      .match({ words: _.gte(800), year: '2026' })
      .group({ _id: '$branchId', total: $.sum('$words'), max: $.max('$words'), members: $.addToSet('$memberId') })
      .project({ _id: 0, branch: '$_id', total: 1, max: 1, memberCount: $.size('$members'), thousands: $.divide('$total', 1000) })
      .sort({ branch: 1 })
      .end()
    expect(list).toEqual([{ branch: 'b1', total: 5000, max: 3000, memberCount: 2, thousands: 5 }])
  })

  test('unwind, then count per tag', async () => {
    const { list } = await db
      .collection('notes')
      .aggregate()
      .unwind('$tags')
      .group({ _id: '$tags', n: _.aggregate.sum(1) })
      .sort({ n: -1, _id: 1 })
      .end()
    expect(list).toEqual([
      { _id: '党史', n: 2 },
      { _id: '理论', n: 2 }
    ])
  })

  test('skip and limit', async () => {
    const page = await db.collection('notes').aggregate().sort({ _id: 1 }).skip(1).limit(2).project({ _id: 1 }).end()
    expect(page.list).toEqual([{ _id: 'n2' }, { _id: 'n3' }])
  })

  test('count stage', async () => {
    const { list } = await db.collection('notes').aggregate().match({ branchId: 'b2' }).count('total').end()
    expect(list).toEqual([{ total: 2 }])
  })

  test('addFields with cond, ifNull, concat, add, multiply, subtract, eq', async () => {
    const $ = _.aggregate
    const { list } = await db
      .collection('notes')
      .aggregate()
      .match({ _id: _.in(['n4', 'n5']) })
      .addFields({
        level: $.cond({ if: { $gte: ['$words', 1000] }, then: 'long', else: 'short' }),
        tagCount: $.size($.ifNull('$tags', [])),
        label: $.concat('$memberId', '-', '$year'),
        calc: $.subtract($.multiply($.add('$words', 1), 2), 2),
        is2026: $.eq('$year', '2026')
      })
      .project({ words: 0, tags: 0, branchId: 0, memberId: 0, year: 0 })
      .sort({ _id: 1 })
      .end()
    expect(list).toEqual([
      { _id: 'n4', level: 'short', tagCount: 1, label: 'm3-2026', calc: 1000, is2026: true },
      { _id: 'n5', level: 'long', tagCount: 0, label: 'm3-2025', calc: 19998, is2026: false }
    ])
  })

  test('first/last/min/push accumulators agree with mingo on the raw documents', async () => {
    const $ = _.aggregate
    const group = { _id: '$branchId', first: $.first('$_id'), last: $.last('$_id'), min: $.min('$words'), all: $.push('$words') }
    const { list } = await db.collection('notes').aggregate().sort({ _id: 1 }).group(group).sort({ _id: 1 }).end()
    const expected = new Aggregator([{ $sort: { _id: 1 } }, { $group: group }, { $sort: { _id: 1 } }]).run(NOTES)
    expect(list).toEqual(expected)
    expect(list[0]).toEqual({ _id: 'b1', first: 'n1', last: 'n3', min: 800, all: [1200, 800, 3000] })
  })

  test('returns 20 results when no limit() is set, like CloudBase', async () => {
    await db.runTransaction(async (t) => {
      for (let i = 0; i < 50; i++) await t.collection('many').add({ data: { i } })
    })
    expect((await db.collection('many').aggregate().end()).list).toHaveLength(20)
    expect((await db.collection('many').aggregate().match({ i: _.gte(5) }).end()).list).toHaveLength(20)
    expect((await db.collection('many').aggregate().limit(45).end()).list).toHaveLength(45)
  })

  test('a leading match() is served by the index', () => {
    expect(db.explainQuery('notes', { memberId: 'm1', year: '2026' })).toMatch(/USING INDEX/)
  })
})
