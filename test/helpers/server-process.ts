import { spawn, type ChildProcess } from 'child_process'
import { mkdtempSync, rmSync } from 'fs'
import { tmpdir } from 'os'
import { join, resolve } from 'path'

const ROOT = resolve(__dirname, '..', '..')

export interface RunningServer {
  url: string
  dataDir: string
  child: ChildProcess
  output: () => string
  stop(signal?: NodeJS.Signals): Promise<void>
}

/**
 * Starts the local runtime exactly as `npm run serve` does (tsx server/main.ts),
 * on a free port and a fresh data folder, and waits for the URL it prints.
 */
export async function startServer(env: Record<string, string> = {}, dataDir = mkdtempSync(join(tmpdir(), 'zbdk-srv-'))): Promise<RunningServer> {
  const child = spawn(process.execPath, [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(ROOT, 'server', 'main.ts')], {
    cwd: ROOT,
    env: { ...process.env, ZBDK_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', ...env },
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
      if (child.exitCode === null) {
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
