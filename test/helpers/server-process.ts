import { spawn, type ChildProcess } from 'child_process'
import { mkdtempSync, rmSync } from 'fs'
import { tmpdir } from 'os'
import { join, resolve } from 'path'
import { testClockEnv } from './clock'

const ROOT = resolve(__dirname, '..', '..')

export interface RunningServer {
  url: string
  dataDir: string
  child: ChildProcess
  output: () => string
  stop(signal?: NodeJS.Signals): Promise<void>
}

/**
 * Starts the local runtime as `npm run serve` does (server/main.ts under tsx),
 * on a free port and a fresh data folder, on the test clock (./clock.ts;
 * production refuses a made-up clock, so it runs on the real one),
 * and waits for the URL it prints.
 */
export async function startServer(env: Record<string, string> = {}, dataDir = mkdtempSync(join(tmpdir(), 'zbdk-srv-'))): Promise<RunningServer> {
  // `node --import tsx` keeps the server in this one process (the tsx CLI would
  // fork a second one), so a SIGKILL here really kills the server.
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'server', 'main.ts')], {
    cwd: ROOT,
    env: { ...process.env, ZBDK_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', ...(env.ZBDK_PRODUCTION === '1' ? {} : testClockEnv()), ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let out = ''
  child.stdout!.on('data', (d) => (out += d))
  child.stderr!.on('data', (d) => (out += d))
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 30_000)
    const onData = () => {
      const m = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out)
      if (m) {
        clearTimeout(timer)
        resolveUrl(m[1])
      }
    }
    child.stdout!.on('data', onData)
    child.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`server exited with ${code}:\n${out}`))
    })
  })
  return {
    url,
    dataDir,
    child,
    output: () => out,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r))
        child.kill(signal)
        await exited
      }
    }
  }
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true })
}
