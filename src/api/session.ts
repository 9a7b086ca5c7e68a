import Taro from '@tarojs/taro'
import type { Me } from '../core/functions/auth'

const TOKEN_KEY = 'session.token'
const ME_KEY = 'session.me'

// Storage is synchronous on both platforms; a failing read (private mode,
// quota) just means "not logged in", never a crash.
function read<T>(key: string): T | null {
  try {
    const v = Taro.getStorageSync(key)
    return v === '' || v === undefined || v === null ? null : (v as T)
  } catch {
    return null
  }
}

function write(key: string, value: unknown): void {
  try {
    Taro.setStorageSync(key, value)
  } catch {
    // A full or blocked storage only costs a login next time.
  }
}

function remove(key: string): void {
  try {
    Taro.removeStorageSync(key)
  } catch {
    // nothing to do
  }
}

/** The H5 / local runtime bearer token; weapp callers are known by OPENID and have none. */
export function getToken(): string | null {
  const t = read<string>(TOKEN_KEY)
  return typeof t === 'string' && t ? t : null
}

export function setToken(token: string): void {
  write(TOKEN_KEY, token)
}

/** The last `me` the server answered, to paint the first screen before whoami returns. */
export function getCachedMe(): Me | null {
  return read<Me>(ME_KEY)
}

export function setCachedMe(me: Me | null): void {
  if (me) write(ME_KEY, me)
  else remove(ME_KEY)
}

export function clearSession(): void {
  remove(TOKEN_KEY)
  remove(ME_KEY)
}
