// One folder per jest run for seeded database templates (test/helpers/seed-template.ts).
// Workers are started after this runs, so they inherit the variable.
const { mkdtempSync } = require('fs')
const { tmpdir } = require('os')
const { join } = require('path')

module.exports = async function globalSetup() {
  process.env.ZBDK_SEED_CACHE = mkdtempSync(join(tmpdir(), 'zbdk-seeds-'))
}
