import { CloudbaseError } from './errors'

/** One document: collection and _id. */
export function docKey(coll: string, id: string): string {
  return `${coll}\u0000${id}`
}

function collOf(key: string): string {
  return key.slice(0, key.indexOf('\u0000'))
}

/**
 * Document write locks held by open transactions. As on CloudBase (MongoDB
 * underneath), a transaction's first write to a document locks it until the
 * transaction commits or aborts; another transaction writing it fails at once,
 * while a plain (non-transaction) write waits for the lock to go.
 */
export class DocLocks {
  private readonly holders = new Map<string, string>()
  private readonly perColl = new Map<string, Set<string>>()
  private waiters: Array<() => void> = []

  holder(key: string): string | undefined {
    return this.holders.get(key)
  }

  /** Locks `key` for `owner`; false when another owner holds it. */
  acquire(key: string, owner: string): boolean {
    const h = this.holders.get(key)
    if (h !== undefined) return h === owner
    this.holders.set(key, owner)
    const c = collOf(key)
    let set = this.perColl.get(c)
    if (!set) this.perColl.set(c, (set = new Set()))
    set.add(key)
    return true
  }

  release(keys: Iterable<string>, owner: string): void {
    let any = false
    for (const key of keys) {
      if (this.holders.get(key) !== owner) continue
      this.holders.delete(key)
      const c = collOf(key)
      const set = this.perColl.get(c)
      set?.delete(key)
      if (set && set.size === 0) this.perColl.delete(c)
      any = true
    }
    if (!any) return
    // Every waiter re-checks its own keys; cheap, since waits are rare.
    const woken = this.waiters
    this.waiters = []
    for (const w of woken) w()
  }

  /** Ids locked in a collection right now (to see whether a bulk write touches any). */
  lockedIds(coll: string): string[] {
    const set = this.perColl.get(coll)
    return set ? [...set].map((k) => k.slice(coll.length + 1)) : []
  }

  /** Resolves once none of `keys` is locked; rejects after `timeoutMs`. */
  waitFree(keys: string[], timeoutMs: number): Promise<void> {
    const free = () => keys.every((k) => !this.holders.has(k))
    if (free()) return Promise.resolve()
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== check)
        reject(CloudbaseError.lockTimeout(timeoutMs))
      }, timeoutMs)
      const check = (): void => {
        if (free()) {
          clearTimeout(timer)
          resolve()
        } else this.waiters.push(check)
      }
      this.waiters.push(check)
    })
  }
}
