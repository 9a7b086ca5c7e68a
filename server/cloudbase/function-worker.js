'use strict'
/**
 * One CloudBase function instance. Plain CommonJS because it runs in a
 * worker_thread, where jest's TypeScript transform does not reach.
 *
 * The deployable bundle is required once, at cold start, exactly as CloudBase
 * does, so module state (an initialised SDK, caches, counters) lives as long as
 * the instance. The host sends one invocation at a time; before each one the
 * caller's WeChat context is written into this thread's own process.env
 * (a Worker started with `env` has a private copy), which is where
 * wx-server-sdk's getWXContext() and node-sdk's getCloudbaseContext() read it,
 * at call time.
 */
const { parentPort, workerData } = require('worker_threads')
const util = require('util')

const { file, maxPayloadBytes, maxLogBytes, clockOffsetMs } = workerData

// Tests run on a fixed day (test/helpers/clock.ts): the instance's clock is shifted
// before the bundle loads, so its Date.now() and new Date() agree with the suite's.
if (clockOffsetMs) {
  const RealDate = Date
  const shifted = () => RealDate.now() + clockOffsetMs
  class ShiftedDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(shifted())
      else super(...args)
    }
    static now() {
      return shifted()
    }
  }
  globalThis.Date = ShiftedDate
}

// Variables the platform rewrites on every invocation. All are cleared first,
// so an identity from a previous call can never survive into the next one.
const PER_CALL_KEYS = [
  'WX_CONTEXT_KEYS', 'WX_OPENID', 'WX_APPID', 'WX_UNIONID', 'WX_CLIENTIP', 'WX_CLIENTIPV6',
  'TCB_SOURCE', 'TRIGGER_SRC', 'TCB_SEQID'
]

/** Logs of the running invocation, returned with its answer as CloudBase keeps them per request. */
let current = null

function capture(level) {
  const original = console[level].bind(console)
  return (...args) => {
    const line = util.format(...args)
    if (!current) return original(...args)
    if (current.logBytes >= maxLogBytes) return
    current.logBytes += Buffer.byteLength(line)
    current.logs.push(level === 'log' || level === 'info' ? line : `[${level}] ${line}`)
  }
}
for (const level of ['log', 'info', 'warn', 'error', 'debug']) console[level] = capture(level)

const started = Date.now()
// A throw here (bad bundle, missing dependency) surfaces as the Worker's
// 'error' event before 'ready': the host answers the invocation with it.
const mod = require(file)
if (typeof mod.main !== 'function') throw new Error(`${file} does not export a main function`)
parentPort.postMessage({ type: 'ready', initMs: Date.now() - started })

function applyCallEnv(vars) {
  for (const key of PER_CALL_KEYS) delete process.env[key]
  for (const [key, value] of Object.entries(vars)) process.env[key] = value
}

/** SCF accepts an async main, a main returning a value, or a callback-style main. */
function callMain(event, context) {
  return new Promise((resolve, reject) => {
    const callback = (err, value) => (err ? reject(err) : resolve(value))
    let returned
    try {
      returned = mod.main(event, context, callback)
    } catch (err) {
      reject(err)
      return
    }
    if (returned && typeof returned.then === 'function') returned.then(resolve, reject)
    else if (mod.main.length < 3) resolve(returned)
  })
}

function describe(err) {
  if (err instanceof Error) return err.stack || `${err.name}: ${err.message}`
  try {
    return typeof err === 'string' ? err : JSON.stringify(err)
  } catch {
    return String(err)
  }
}

parentPort.on('message', async (msg) => {
  if (msg.type !== 'invoke') return
  current = { logs: [], logBytes: 0 }
  const answer = { type: 'done', id: msg.id }
  try {
    applyCallEnv(msg.vars)
    const value = await callMain(JSON.parse(msg.eventJson), msg.context)
    // CloudBase hands the caller JSON: undefined becomes null, a Date a string.
    const json = JSON.stringify(value === undefined ? null : value)
    const bytes = Buffer.byteLength(json)
    if (bytes > maxPayloadBytes) {
      answer.error = `the function returned ${bytes} bytes; CloudBase returns at most ${maxPayloadBytes} bytes (6 MB) from a synchronous invocation`
      answer.errCode = -504002
    } else {
      answer.resultJson = json
    }
  } catch (err) {
    answer.error = describe(err)
    answer.errCode = -504002
  }
  answer.logs = current.logs
  current = null
  parentPort.postMessage(answer)
})
