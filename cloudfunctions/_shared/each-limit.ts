/**
 * Runs `fn` over `items` with at most `limit` running at once. CloudBase
 * costs ~10 ms or more per call, so independent steps go several at a time;
 * a bound keeps one job well under the plan's concurrent connections (20 on
 * the basic plan). Every item is tried; the first failure is rethrown after
 * the others have settled, so a retry never races leftovers of this run.
 */
export async function eachLimit<T>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0
  let failure: { err: unknown } | null = null
  const worker = async () => {
    while (next < items.length && !failure) {
      const i = next++
      try {
        await fn(items[i], i)
      } catch (err) {
        failure ??= { err }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  if (failure) throw (failure as { err: unknown }).err
}
