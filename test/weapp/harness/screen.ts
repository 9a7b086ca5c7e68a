/**
 * What a person sees and does on a rendered page: its text, elements found
 * by class or by their words, and a tap that travels through WeChat's event
 * system (exparser) to the handler Taro bound in the template, as a finger would.
 */
import type { PageHandle } from './mini-program'

/* eslint-disable @typescript-eslint/no-explicit-any */

export function textOf(page: PageHandle): string {
  return (page.comp.dom as Element).textContent ?? ''
}

/** Elements carrying a class, whatever prefix the component framework adds (`main--x`). */
export function byClass(page: PageHandle, cls: string): Element[] {
  const all = Array.from((page.comp.dom as Element).querySelectorAll('*'))
  return all.filter((el) => Array.from(el.classList).some((c) => c === cls || c.endsWith('--' + cls)))
}

/** The innermost element whose own words include `text`. */
export function byText(page: PageHandle, text: string | RegExp): Element | undefined {
  const all = Array.from((page.comp.dom as Element).querySelectorAll('*'))
  const hits = all.filter((el) => {
    const t = el.textContent ?? ''
    return typeof text === 'string' ? t.includes(text) : text.test(t)
  })
  return hits.find((el) => !hits.some((other) => other !== el && el.contains(other)))
}

type Maybe<T> = T | undefined | null | false

export async function waitFor<T>(what: string, probe: () => Maybe<T> | Promise<Maybe<T>>, timeoutMs = 5000): Promise<T> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const v = await probe()
    if (v) return v
    if (Date.now() > until) throw new Error(`waited ${timeoutMs} ms for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

export function waitForText(page: PageHandle, text: string | RegExp, timeoutMs = 5000): Promise<string> {
  return waitFor(`"${text}" on ${page.route}; the page shows: ${textOf(page).slice(0, 300)}`, () => {
    const t = textOf(page)
    return (typeof text === 'string' ? t.includes(text) : text.test(t)) && t
  }, timeoutMs)
}

/** A tap on an element, dispatched the way j-component does: exparser bubbles it to Taro's `eh`. */
export function tap(el: Element | undefined): void {
  send(el, 'tap', { x: 0, y: 0 })
}

/** Typing into an Input/Textarea: WeChat sends `input` with the whole value in `detail`. */
export function type(el: Element | undefined, value: string): void {
  send(el, 'input', { value, cursor: value.length })
}

function send(el: Element | undefined, name: string, detail: Record<string, unknown>): void {
  if (!el) throw new Error(`${name}: no such element`)
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exparser = require('miniprogram-exparser')
  const target = (el as any).__wxElement
  if (!target) throw new Error(`${name}: element is not part of the rendered tree`)
  exparser.Event.dispatchEvent(
    target,
    exparser.Event.create(name, detail, { originalEvent: new CustomEvent(name), bubbles: true, capturePhase: true, composed: true, extraFields: { touches: [], changedTouches: [] } })
  )
}

/** The words WeChat users see when a page crashed into its generic error. */
const CRASH_WORDS = ['系统开小差了', 'undefined', 'NaN', '[object Object]']

/**
 * A page as a person would judge it: everything expected is on screen, no
 * crash words, and the app reported no error while getting there.
 */
export async function expectSees(mp: { errors: string[] }, page: PageHandle, expected: Array<string | RegExp>, timeoutMs = 5000): Promise<string> {
  const missing = () => {
    const t = textOf(page)
    return expected.filter((e) => (typeof e === 'string' ? !t.includes(e) : !e.test(t)))
  }
  try {
    await waitFor('expected words', () => missing().length === 0, timeoutMs)
  } catch {
    throw new Error(`${page.route} does not show ${missing().map(String).join(', ')}; it shows: ${textOf(page).slice(0, 400)}`)
  }
  const text = textOf(page)
  const crash = CRASH_WORDS.filter((w) => text.includes(w))
  if (crash.length) throw new Error(`${page.route} shows ${crash.join(', ')}: ${text.slice(0, 400)}`)
  if (mp.errors.length) throw new Error(`${page.route}: the app reported errors:\n${mp.errors.join('\n')}`)
  return text
}

/** Tap the words `label` on the current page and wait for `route` to be on top of the stack. */
export async function tapTo(mp: { current(): PageHandle }, label: string | RegExp, route: string): Promise<PageHandle> {
  const from = mp.current()
  // Data arrives after the first paint: wait for the words as a person would.
  const el = await waitFor(`"${label}" to tap on ${from.route}`, () => byText(from, label)).catch(() => {
    throw new Error(`${from.route} has no "${label}" to tap; it shows: ${textOf(from).slice(0, 300)}`)
  })
  tap(el)
  return waitFor(`${route} after tapping "${label}" on ${from.route}`, () => mp.current().route === route && mp.current() !== from && mp.current())
}
