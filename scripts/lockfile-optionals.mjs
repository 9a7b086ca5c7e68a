// Adds lockfile entries for other-platform optional packages that this
// registry mirror does not carry (e.g. @tarojs/binding-darwin-arm64). Without
// them `npm install` writes a lockfile that `npm ci` judges "not in sync".
// Each entry declares its os/cpu/libc, so npm ci skips it on Linux x64 without
// fetching anything. Run after any `npm install` that changes the lockfile.
import { readFileSync, writeFileSync } from 'node:fs'

const LOCK = new URL('../package-lock.json', import.meta.url)
const lock = JSON.parse(readFileSync(LOCK, 'utf8'))
const pkgs = lock.packages

// Platform facts from the package name, as their publishers name them.
function platformOf(name) {
  const tail = name.split('/').pop()
  const os = ['darwin', 'win32', 'linux', 'freebsd', 'android', 'openharmony', 'sunos', 'netbsd', 'openbsd', 'aix']
    .find((o) => tail.includes(`-${o}-`) || tail.endsWith(`-${o}`))
  const cpu = ['arm64', 'x64', 'ia32', 'arm', 'loong64', 'ppc64', 'riscv64', 's390x', 'mips64el', 'wasm32']
    .find((c) => new RegExp(`-${c}(-|$)`).test(tail))
  const libc = /-musl/.test(tail) ? 'musl' : /-gnu/.test(tail) ? 'glibc' : undefined
  return { os, cpu, libc }
}

let added = 0
for (const [path, meta] of Object.entries(pkgs)) {
  const optional = meta.optionalDependencies || {}
  for (const [dep, range] of Object.entries(optional)) {
    const base = path ? `${path}/node_modules/${dep}` : `node_modules/${dep}`
    const hoisted = `node_modules/${dep}`
    if (pkgs[base] || pkgs[hoisted]) continue
    const { os, cpu, libc } = platformOf(dep)
    if (!os || !cpu) continue // not a platform binary: leave it to npm
    const version = String(range).replace(/^[\^~=]/, '')
    const entry = { version, optional: true, os: [os], cpu: [cpu] }
    if (libc) entry.libc = [libc]
    pkgs[hoisted] = entry
    added++
  }
}
// Keep key order stable so diffs stay small.
lock.packages = Object.fromEntries(Object.entries(pkgs).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)))
writeFileSync(LOCK, JSON.stringify(lock, null, 2) + '\n')
console.log(`lockfile-optionals: added ${added} platform entries`)
