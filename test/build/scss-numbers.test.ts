/**
 * Numbers, dates and times never break across lines (issue 16, "Words and
 * numbers"): no stylesheet may use `word-break: break-all`, which splits a
 * figure like "6,391" mid-number; long text wraps with the `wrap-text` mixin
 * instead, and the figure classes of the stat tiles and tables keep one line.
 * A change is coloured as Chinese readers read it: a rise red, a fall green.
 */
import * as fs from 'fs'
import * as path from 'path'

const SRC = path.join(__dirname, '../../src')

function scssFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name)
    if (e.isDirectory()) return scssFiles(p)
    return e.name.endsWith('.scss') ? [p] : []
  })
}

/** The declarations of one top-level `.class {` block (nested blocks are not needed here). */
function block(file: string, selector: string): string {
  const s = fs.readFileSync(path.join(SRC, file), 'utf8')
  const start = s.search(new RegExp(`^${selector.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\{`, 'm'))
  if (start < 0) throw new Error(`${selector} not found in ${file}`)
  return s.slice(start, s.indexOf('}', start))
}

test('no stylesheet breaks words anywhere (it would split numbers and dates)', () => {
  const files = scssFiles(SRC)
  expect(files.length).toBeGreaterThan(30)
  const offenders = files.filter((f) => /break-all/i.test(fs.readFileSync(f, 'utf8'))).map((f) => path.relative(SRC, f))
  expect(offenders).toEqual([])
})

test('the shared number mixin keeps a figure on one line; the text mixin does not split words by default', () => {
  const mixins = fs.readFileSync(path.join(SRC, 'styles/mixins.scss'), 'utf8')
  const nowrap = mixins.slice(mixins.indexOf('@mixin nowrap-number'))
  expect(nowrap.slice(0, nowrap.indexOf('}'))).toMatch(/white-space:\s*nowrap/)
  const wrap = mixins.slice(mixins.indexOf('@mixin wrap-text'))
  expect(wrap.slice(0, wrap.indexOf('}'))).toMatch(/overflow-wrap:\s*anywhere/)
  expect(fs.readFileSync(path.join(SRC, 'app.scss'), 'utf8')).toMatch(/\.num \{\s*@include nowrap-number;/)
})

test.each([
  ['secretary/report/index.scss', '.report-td'],
  ['components/StatTile/index.scss', '.stat-tile-value'],
  ['components/RankTable/index.scss', '.rank-value'],
  ['components/RankTable/index.scss', '.rank-no-num'],
  ['components/RankTable/index.scss', '.rank-move'],
  ['components/MyRecord/index.scss', '.record-rate-value'],
  ['components/MyRecord/index.scss', '.record-count-value'],
  ['components/PointsLedger/index.scss', '.points-total-value'],
  ['components/PointsLedger/index.scss', '.points-line-date'],
  ['components/PointsLedger/index.scss', '.points-line-delta'],
  ['secretary/qr/index.scss', '.roster-count-value'],
  ['secretary/index/index.scss', '.workbench-todo-count'],
  ['pages/ranking/index.scss', '.my-cell-value'],
  ['pages/archive/index.scss', '.ar-date']
])('%s %s keeps its figure on one line', (file, selector) => {
  expect(block(file, selector)).toMatch(/@include (nowrap-number|stat-figure)\b|white-space:\s*nowrap/)
})

test('the shared stat-tile figure is a one-line number', () => {
  const mixins = fs.readFileSync(path.join(SRC, 'styles/mixins.scss'), 'utf8')
  const figure = mixins.slice(mixins.indexOf('@mixin stat-figure'))
  expect(figure.slice(0, figure.indexOf('}'))).toMatch(/@include nowrap-number;/)
})

test('the report table lets only the name cell wrap', () => {
  expect(block('secretary/report/index.scss', '.rc-name')).toMatch(/white-space:\s*normal/)
})

test('rises are red and falls green: rank moves and points', () => {
  const vars = fs.readFileSync(path.join(SRC, 'styles/variables.scss'), 'utf8')
  expect(vars).toMatch(/\$color-rise:\s*\$color-primary;/)
  expect(vars).toMatch(/\$color-fall:\s*\$color-success;/)
  expect(block('components/RankTable/index.scss', '.rank-move-up')).toMatch(/\$color-rise/)
  expect(block('components/RankTable/index.scss', '.rank-move-down')).toMatch(/\$color-fall/)
  expect(block('pages/ranking/index.scss', '.my-rank-move.rank-move-up')).toMatch(/\$color-rise/)
  expect(block('pages/ranking/index.scss', '.my-rank-move.rank-move-down')).toMatch(/\$color-fall/)
  expect(block('components/PointsLedger/index.scss', '.points-delta-plus')).toMatch(/\$color-rise/)
  expect(block('components/PointsLedger/index.scss', '.points-delta-minus')).toMatch(/\$color-fall/)
})
