/**
 * Calling the local server's API from an e2e test the way the app does
 * (POST /api/<fn>, bearer token), for setting the scene around a journey.
 */
import type { Page } from 'playwright-core'

export function apiClient(baseUrl: () => string) {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async function api<T = any>(fn: string, body: Record<string, unknown>, token?: string): Promise<T> {
    const res = await fetch(`${baseUrl()}api/${fn}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body)
    })
    const json = await res.json()
    if (!json.ok) throw new Error(`${fn}.${String(body.action)}: ${JSON.stringify(json.error)}`)
    return json.data as T
  }
  async function tokenOf(memberId: string): Promise<string> {
    return (await api<{ token: string }>('auth', { action: 'devLogin', memberId })).token
  }
  return { api, tokenOf }
}

/** Uncaught errors of a page, to assert none happened along the journey. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(String(e)))
  return errors
}
