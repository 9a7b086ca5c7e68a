/**
 * Mini-programs forbid eval/new Function. src/core sets zod to jitless before
 * any schema exists; this proves it by running a bundle of src/core in a V8
 * context where code generation from strings is off and every use of the
 * Function constructor is counted. A control bundle using zod without the
 * setting shows the probe does catch zod's JIT.
 */
import { buildSync } from 'esbuild'
import { join, resolve } from 'path'
import vm from 'vm'

const ROOT = resolve(__dirname, '..', '..')

function bundle(contents: string): string {
  const out = buildSync({
    stdin: { contents, resolveDir: join(ROOT, 'test', 'core'), loader: 'ts' },
    bundle: true,
    format: 'iife',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    target: 'es2019',
    write: false,
    logLevel: 'silent'
  })
  return out.outputFiles[0].text
}

function runSandboxed(code: string): { result: unknown; functionCalls: number } {
  const counter = { n: 0 }
  const context = vm.createContext({ counter, result: undefined as unknown }, { codeGeneration: { strings: false, wasm: false } })
  // Count every `Function(...)` / `new Function(...)` the bundle attempts.
  vm.runInContext(
    `(() => { const F = Function; globalThis.Function = new Proxy(F, {
       construct(t, a) { counter.n++; return Reflect.construct(t, a) },
       apply(t, self, a) { counter.n++; return Reflect.apply(t, self, a) } }) })()`,
    context
  )
  vm.runInContext(code, context)
  return { result: (context as { result: unknown }).result, functionCalls: counter.n }
}

describe('zod in mini-program conditions', () => {
  it('src/core parses objects without eval or new Function', () => {
    const code = bundle(`
      import { MemberSchema, DevLoginInput } from '../../src/core'
      const good = MemberSchema.safeParse({ _id: 'm1', name: '张三', openid: null, branchId: 'b1', groupId: null,
        orgPath: ['o', 'b1'], rank: 'staff', roles: [], leadingCadre: false, retired: false, exempt: null,
        joinedAt: 1, createdAt: 1 })
      const bad = DevLoginInput.safeParse({ memberId: 5 })
      globalThis.result = { good: good.success, bad: bad.success }
    `)
    const { result, functionCalls } = runSandboxed(code)
    expect(result).toEqual({ good: true, bad: false })
    expect(functionCalls).toBe(0)
  })

  it('control: zod without jitless does reach for new Function (so the probe works)', () => {
    const code = bundle(`
      import { z } from 'zod'
      const s = z.object({ a: z.string(), b: z.number() })
      globalThis.result = s.safeParse({ a: 'x', b: 1 }).success
    `)
    const { result, functionCalls } = runSandboxed(code)
    expect(result).toBe(true)
    expect(functionCalls).toBeGreaterThan(0)
  })
})
