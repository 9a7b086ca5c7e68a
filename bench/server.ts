/**
 * The local server as a benchmark runs it: `node --import tsx server/main.ts`
 * of a checkout on a port of its own, resolved with its base URL (no trailing
 * slash) once it prints it. Tests have their own (test/helpers/server-process.ts).
 */
import { spawn, type ChildProcess } from 'child_process'
import { join } from 'path'

export interface BenchServer {
  url: string
  child: ChildProcess
}

export async function startBenchServer(o: { root: string; env: Record<string, string>; nodeArgs?: string[] }): Promise<BenchServer> {
  const child = spawn(process.execPath, [...(o.nodeArgs ?? []), '--import', 'tsx', join(o.root, 'server', 'main.ts')], {
    cwd: o.root,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ZBDK_ADDRESS_LIMITS: 'off', ...o.env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let out = ''
  child.stdout!.on('data', (d) => (out += d))
  child.stderr!.on('data', (d) => (out += d))
  const url = await new Promise<string>((ok, bad) => {
    const timer = setTimeout(() => bad(new Error(`server did not start:\n${out}`)), 30_000)
    child.stdout!.on('data', () => {
      const m = /(http:\/\/127\.0\.0\.1:\d+)\//.exec(out)
      if (m) {
        clearTimeout(timer)
        ok(m[1])
      }
    })
    child.on('exit', (code) => {
      clearTimeout(timer)
      bad(new Error(`server exited (${code}):\n${out}`))
    })
  })
  return { url, child }
}
