/* Calendar days as YYYY-MM-DD in UTC: what purchase, warranty and firmware dates are written as. */

export const DAY_MS = 86_400_000;
const YEAR_MS = 365.25 * DAY_MS;

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** UTC midnight of a YYYY-MM-DD day; null for anything else (agent and CSV text may be malformed). */
export function dayMs(iso: string | null | undefined): number | null {
  const m = ISO_DAY.exec(iso?.trim() ?? '');
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  // Date.UTC rolls 2025-02-30 over into March: such a date is not a day.
  return new Date(ms).toISOString().startsWith(m[0]) ? ms : null;
}

export const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The UTC day `now` falls on. */
export const today = (now: number) => isoDay(now);

/** Whole days from `now`'s day to `iso` (negative once past; 0 on the day itself). */
export function daysUntil(iso: string, now: number): number {
  return Math.round((dayMs(iso)! - dayMs(today(now))!) / DAY_MS);
}

export const yearsBetween = (fromIso: string, now: number) => (now - dayMs(fromIso)!) / YEAR_MS;

/** The same calendar day `months` later; a day the month lacks (31st, 29 Feb) becomes its last day. */
export function addMonths(iso: string, months: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  return isoDay(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), Math.min(d, last)));
}

export const addYears = (iso: string, years: number) => addMonths(iso, years * 12);

/** The earlier of two YYYY-MM-DD days (text order is date order). */
export const earlier = (a: string, b: string) => (a < b ? a : b);
export const later = (a: string, b: string) => (a > b ? a : b);
