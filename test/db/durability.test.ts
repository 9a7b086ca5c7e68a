/**
 * Durability: a child process writes (single adds and small transactions)
 * and prints each id once acknowledged; it is SIGKILLed mid-stream, the file
 * is reopened, and every acknowledged write must be there, with no
 * transaction half-applied. Three kill/reopen rounds on the same file.
 */
import { spawn } from 'child_process'
import { join } from 'path'
import { openDatabase } from '../../server/db'
import { tempDir } from './helpers'

jest.setTimeout(60000)

const tmp = tempDir('db-durability')
afterAll(() => tmp.cleanup())

const WRITER = join(__dirname, 'fixtures', 'durability-writer.ts')

/** Runs the writer until `acks` writes are acknowledged, then SIGKILLs it; returns the acknowledged lines. */
function writeAndKill(file: string, round: number, acks: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), WRITER, file, String(round)], {
      stdio: ['ignore', 'pipe', 'pipe']
    })
    const lines: string[] = []
    let buf = ''
    let err = ''
    let killed = false
    child.stdout.setEncoding('utf8')
    child.stdout.on('data', (chunk: string) => {
      buf += chunk
      const parts = buf.split('\n')
      buf = parts.pop() ?? ''
      for (const line of parts) if (line) lines.push(line)
      if (!killed && lines.length >= acks) {
        killed = true
        child.kill('SIGKILL')
      }
    })
    child.stderr.on('data', (d) => (err += String(d)))
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(lines)
      else reject(new Error(`writer exited early (code ${code}): ${err}`))
    })
  })
}

test('acknowledged writes survive SIGKILL; transactions are all-or-nothing', async () => {
  const file = join(tmp.dir, 'durable.sqlite')
  const acked: string[] = []
  for (let round = 0; round < 3; round++) {
    acked.push(...(await writeAndKill(file, round, 150 + round * 100)))

    const db = openDatabase({ file })
    try {
      const total = (await db.collection('single').count()).total
      const all = new Set<string>()
      for (let skip = 0; skip < total; skip += 1000) {
        for (const d of (await db.collection('single').field({ _id: true }).orderBy('_id', 'asc').skip(skip).limit(1000).get()).data) all.add(d._id)
      }
      expect(all.size).toBe(total)
      expect(total).toBeGreaterThan(0)

      const pairs = db.raw.prepare(`SELECT json_extract(doc, '$.tx') AS tx, COUNT(*) AS n FROM pairs GROUP BY tx`).all() as { tx: string; n: number }[]
      const complete = new Set(pairs.filter((p) => p.n === 2).map((p) => p.tx))
      // No transaction is half-applied...
      expect(pairs.filter((p) => p.n !== 2)).toEqual([])
      // ...and the counter written in the same transactions agrees.
      expect((await db.collection('meta').doc('counter').get()).data?.n).toBe(complete.size)

      // Every acknowledged write is present.
      for (const line of acked) {
        const [kind, id] = line.split(' ')
        if (kind === 'S') expect(all.has(id)).toBe(true)
        else expect(complete.has(id)).toBe(true)
      }
      expect(db.raw.pragma('integrity_check', { simple: true })).toBe('ok')
    } finally {
      db.close()
    }
  }
  // Lines that arrived in the same chunk as the threshold were acknowledged too.
  expect(acked.length).toBeGreaterThanOrEqual(150 + 250 + 350)
})
