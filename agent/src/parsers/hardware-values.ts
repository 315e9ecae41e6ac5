/*
 * Firmware tables and OS tools fill fields they do not know with vendor placeholders
 * ("To Be Filled By O.E.M.", "Default string", "0"). Inventory reports those as unknown
 * (null), so a fleet search for a serial never matches a thousand boards saying "0123456789".
 */

const PLACEHOLDERS = new Set(
  [
    '',
    '-',
    '0',
    'n/a',
    'na',
    'none',
    'null',
    'unknown',
    'invalid',
    'not specified',
    'not available',
    'not applicable',
    'not provided',
    'default string',
    '(standard monitor types)',
    'default_string',
    'to be filled by o.e.m.',
    'to be filled by oem',
    'o.e.m.',
    'oem',
    'system manufacturer',
    'system product name',
    'system version',
    'system serial number',
    'system sku',
    'sku',
    'chassis manufacture',
    'chassis serial number',
    'base board serial number',
    'type2 - board serial number',
    'type2 - board version',
    '0123456789',
    '123456789',
    '1234567890',
    '00000000',
    '0000000000',
    'ffffffff',
    '00000000-0000-0000-0000-000000000000',
    'ffffffff-ffff-ffff-ffff-ffffffffffff',
    '03000200-0400-0500-0006-000700080009',
  ].map((s) => s.toLowerCase()),
);

/** Trimmed text cut to `max`, or null for missing text and vendor placeholders. */
export function known(value: unknown, max: number): string | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const t = String(value).replace(/\s+/g, ' ').trim();
  if (PLACEHOLDERS.has(t.toLowerCase())) return null;
  return t.slice(0, max);
}

/** Trimmed text cut to `max`, or null when empty: for names where "0" is a real value (memory bank 0). */
export function plain(value: unknown, max: number): string | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const t = String(value).replace(/\s+/g, ' ').trim();
  return t ? t.slice(0, max) : null;
}

/** A count or size: a finite number above zero (tools report 0 for "unknown"), rounded. */
export function amount(value: unknown): number | null {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? Math.round(n) : null;
}

/** A boolean as reported, or null when it was not. */
export function flag(value: unknown): boolean | null {
  return typeof value === 'boolean' ? value : null;
}

/** A firmware date as YYYY-MM-DD: tools print ISO dates, US dates (MM/DD/YYYY) or DMTF datetimes. */
export function isoDate(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const t = value.trim();
  let m = /^(\d{4})-(\d{2})-(\d{2})/.exec(t);
  if (m) return valid(m[1], m[2], m[3]);
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(t);
  if (m) return valid(m[3], m[1].padStart(2, '0'), m[2].padStart(2, '0'));
  m = /^(\d{4})(\d{2})(\d{2})\d{6}/.exec(t);
  if (m) return valid(m[1], m[2], m[3]);
  return null;
}

function valid(y: string, m: string, d: string): string | null {
  const text = `${y}-${m}-${d}`;
  const date = new Date(`${text}T00:00:00Z`);
  // Date rolls "02-30" over into March: only a date that reads back the same is one.
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== text || Number(y) < 1980 ? null : text;
}

/** Items kept in a stable order (by `key`), so the same hardware always hashes the same. */
export function stableList<T>(items: readonly (T | null)[], key: (item: T) => string, max: number): T[] {
  return items
    .filter((i): i is T => i !== null)
    .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
    .slice(0, max);
}
