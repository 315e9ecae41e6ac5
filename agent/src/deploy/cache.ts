import { readdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';

/** A package not deployed for this long leaves the cache (a rollback within it still finds it). */
export const CACHE_KEEP_MS = 14 * 24 * 3600 * 1000;

/** Marks a cached package as just used, so pruning keeps it. */
export function touch(path: string, now = Date.now()): void {
  try {
    utimesSync(path, now / 1000, now / 1000);
  } catch {
    // gone meanwhile: the next deployment downloads it again
  }
}

/**
 * Drops packages and abandoned partial downloads not touched for `keepMs`, so a device that
 * receives many deployments does not fill its disk. Returns the names removed.
 */
export function pruneCache(dir: string, now = Date.now(), keepMs = CACHE_KEEP_MS): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!/^[0-9a-f]{64}\.(pkg|part)$/.test(name)) continue;
    const path = join(dir, name);
    try {
      if (now - statSync(path).mtimeMs > keepMs) {
        rmSync(path, { force: true });
        removed.push(name);
      }
    } catch {
      // removed meanwhile
    }
  }
  return removed;
}
