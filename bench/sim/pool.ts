/**
 * Runs `work` over `items` with at most `limit` in flight, so a large fleet ramps up the
 * way a real one reconnects (many at once, never all at once).
 */
export async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const i = next++;
      await work(items[i], i);
    }
  });
  await Promise.all(lanes);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
