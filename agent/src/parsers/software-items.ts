import { MAX_SOFTWARE_ITEMS, softwareKey, type SoftwareItem, type SoftwareSource } from '../../../protocol/inventory';

/*
 * Every software parser builds its items through here, so the limits of the inventory schema
 * hold whatever a package database or vendor wrote: over-long strings are cut rather than
 * rejected, impossible numbers become unknown, and one runaway source cannot flood a snapshot.
 */

export interface RawSoftware {
  name: string | null | undefined;
  version?: string | null;
  publisher?: string | null;
  installedAt?: number | null;
  sizeBytes?: number | null;
  arch?: string | null;
}

const cut = (s: string | null | undefined, max: number): string | null => {
  const t = typeof s === 'string' ? s.trim() : '';
  return t ? t.slice(0, max) : null;
};

// Before 1990 or far in the future is a broken clock or a placeholder, not an install date.
const EARLIEST = Date.UTC(1990, 0, 1);
const LATEST = Date.UTC(2200, 0, 1);

const instant = (ms: number | null | undefined): number | null =>
  typeof ms === 'number' && Number.isFinite(ms) && ms >= EARLIEST && ms < LATEST ? Math.round(ms) : null;

const size = (n: number | null | undefined): number | null =>
  typeof n === 'number' && Number.isFinite(n) && n >= 0 ? Math.round(n) : null;

/** One item within the schema's limits, or null when it has no name to be known by. */
export function softwareItem(source: SoftwareSource, raw: RawSoftware): SoftwareItem | null {
  const name = cut(raw.name, 255);
  if (!name) return null;
  return {
    name,
    version: cut(raw.version, 128) ?? '',
    publisher: cut(raw.publisher, 255),
    installedAt: instant(raw.installedAt),
    sizeBytes: size(raw.sizeBytes),
    source,
    arch: cut(raw.arch, 32),
  };
}

/** Drops unnamed entries and repeats of a key (the first one wins), and caps the list. */
export function softwareList(items: Iterable<SoftwareItem | null>): SoftwareItem[] {
  const seen = new Set<string>();
  const out: SoftwareItem[] = [];
  for (const item of items) {
    if (!item) continue;
    const key = softwareKey(item);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(item);
    if (out.length >= MAX_SOFTWARE_ITEMS) break;
  }
  return out;
}

/** Package managers print "(none)", "-" or "unknown" where a field is empty. */
export function present(value: string | undefined): string | null {
  const t = value?.trim();
  return t && t !== '(none)' && t !== '-' && t.toLowerCase() !== 'unknown' ? t : null;
}

/** A decimal count, or null for anything else. */
export function count(value: string | undefined): number | null {
  const t = value?.trim();
  return t && /^\d+$/.test(t) ? Number(t) : null;
}
