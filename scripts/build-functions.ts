/**
 * Bundles each cloud function into its deployable folder. WeChat uploads only
 * a function's own folder, so src/core and _shared must travel inside
 * index.js; wx-server-sdk stays external (installed in the cloud from the
 * folder's package.json).
 */
import { build } from 'esbuild'
import { existsSync, readdirSync, statSync } from 'fs'
import { join, resolve } from 'path'

const ROOT = resolve(__dirname, '..', 'cloudfunctions')

export function functionNames(): string[] {
  return readdirSync(ROOT)
    .filter((name) => !name.startsWith('_') && !name.startsWith('.'))
    .filter((name) => statSync(join(ROOT, name)).isDirectory() && existsSync(join(ROOT, name, 'src', 'main.ts')))
    .sort()
}

async function main(): Promise<void> {
  const started = Date.now()
  const names = functionNames()
  for (const name of names) {
    const result = await build({
      entryPoints: [join(ROOT, name, 'src', 'main.ts')],
      outfile: join(ROOT, name, 'index.js'),
      bundle: true,
      platform: 'node',
      // CloudBase runs Node 16 at the oldest supported runtime.
      target: 'node16',
      format: 'cjs',
      external: ['wx-server-sdk'],
      minify: false,
      sourcemap: false,
      legalComments: 'none',
      metafile: true,
      logLevel: 'warning'
    })
    const bytes = Object.values(result.metafile.outputs).reduce((s, o) => s + o.bytes, 0)
    console.log(`  ${name.padEnd(10)} ${(bytes / 1024).toFixed(1)} KB`)
  }
  console.log(`build:functions: ${names.length} functions in ${Date.now() - started} ms`)
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err)
    process.exit(1)
  })
}
