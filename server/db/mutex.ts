/**
 * The database's single lock. better-sqlite3 runs one connection, and an open
 * transaction covers every statement run on it, so while an async transaction
 * is between BEGIN and COMMIT no other operation may touch the connection.
 *
 * Two kinds of holders:
 * - synchronous operations (a get, an add, a bulk update: one or a few
 *   statements that finish before returning) run at once when the lock is
 *   free — the fast path costs nothing but a flag test — and otherwise queue;
 * - transactions hold the lock across awaits, from `acquire()` to `release()`.
 * Waiters run in FIFO order. Queued synchronous operations are drained in a
 * loop, not recursively, so thousands of waiters cannot overflow the stack.
 */
type Waiter = { kind: 'sync'; run: () => void } | { kind: 'async'; grant: () => void }

export class OpLock {
  private held = false
  private queue: Waiter[] = []
  private head = 0

  get busy(): boolean {
    return this.held
  }

  /** Runs `fn` under the lock: immediately when free, else in turn. */
  runSync<T>(fn: () => T): Promise<T> {
    if (!this.held) {
      try {
        return Promise.resolve(fn())
      } catch (e) {
        return Promise.reject(e)
      }
    }
    return new Promise<T>((resolve, reject) => {
      this.push({
        kind: 'sync',
        run: () => {
          try {
            resolve(fn())
          } catch (e) {
            reject(e)
          }
        }
      })
    })
  }

  /** Waits for exclusive ownership; the caller must call release() exactly once. */
  acquire(): Promise<void> {
    if (!this.held) {
      this.held = true
      return Promise.resolve()
    }
    return new Promise<void>((resolve) => this.push({ kind: 'async', grant: resolve }))
  }

  release(): void {
    for (;;) {
      const next = this.shift()
      if (!next) {
        this.held = false
        return
      }
      if (next.kind === 'sync') {
        next.run() // runs to completion; the lock stays held through the loop
        continue
      }
      next.grant() // ownership passes to the next transaction; held stays true
      return
    }
  }

  private push(w: Waiter): void {
    this.queue.push(w)
  }

  private shift(): Waiter | undefined {
    if (this.head >= this.queue.length) {
      this.queue = []
      this.head = 0
      return undefined
    }
    const w = this.queue[this.head]
    this.queue[this.head++] = undefined as unknown as Waiter
    // Compact now and then so a long-lived queue does not grow without bound.
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head)
      this.head = 0
    }
    return w
  }
}
