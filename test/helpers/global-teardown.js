const { rmSync } = require('fs')

module.exports = async function globalTeardown() {
  if (process.env.ZBDK_SEED_CACHE) rmSync(process.env.ZBDK_SEED_CACHE, { recursive: true, force: true })
}
