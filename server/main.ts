/**
 * The local runtime: `npm start` builds the H5 app and runs this. It opens the
 * embedded database in the data folder, seeds the demo organisation on first
 * start, and serves the API and the H5 build on one origin.
 */
import { join } from 'path'
import { openDatabase } from './db'
import { buildApp } from './app'
import { loadConfig, loadOrCreateSecret } from './config'
import { startScheduler } from './scheduler'
import { seedDemoData } from './seed'

async function main(): Promise<void> {
  // Everything the server creates (database, WAL, exports, secret) is the owner's alone: 0600 files, 0700 folders.
  process.umask(0o077)
  const config = loadConfig()
  const secret = loadOrCreateSecret(config.dataDir)
  const db = openDatabase({ file: config.dbFile })
  if (config.seedDemo) {
    const started = Date.now()
    const summary = await seedDemoData(db, config.clock.now())
    if (summary.seeded) {
      const counts = Object.entries(summary.counts).map(([k, v]) => `${k} ${v}`).join(', ')
      console.log(`已写入演示数据 (${counts})，用时 ${Date.now() - started} ms`)
    }
  }
  const { clock } = config
  const app = await buildApp({
    db,
    secret,
    clock,
    production: config.production,
    staticDir: config.staticDir,
    filesDir: join(config.dataDir, 'files'),
    addressLimits: config.addressLimits ? undefined : false,
    trustProxy: config.trustProxy
  })
  const scheduler = startScheduler({ db, dbFile: config.dbFile, secret, clock, production: config.production })
  const shutdown = async (): Promise<void> => {
    scheduler.stop()
    await app.close()
    db.close()
    process.exit(0)
  }
  process.on('SIGINT', shutdown)
  process.on('SIGTERM', shutdown)
  await app.listen({ host: config.host, port: config.port })
  const address = app.server.address()
  const port = typeof address === 'object' && address ? address.port : config.port
  const shownHost = config.host === '0.0.0.0' ? '127.0.0.1' : config.host
  console.log(`支部学习打卡 本地运行中: http://${shownHost}:${port}/`)
  console.log(`数据目录: ${config.dataDir}${config.production ? '（生产模式，演示登录已关闭）' : ''}`)
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
