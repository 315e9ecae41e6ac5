/*
 * Calendar arithmetic for warranty and licence dates. Dates are YYYY-MM-DD and "today" is the
 * UTC date: vendors state coverage in whole days, and one reference day keeps the list, the
 * CSV and the expiry alerts in agreement.
 */

const DAY_MS = 86_400_000;

export const todayUtc = (now = Date.now()): string => new Date(now).toISOString().slice(0, 10);

/** The date `days` after `date` (negative: before). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from today to `date`: 0 on the day itself, negative once it has passed. */
export function daysUntil(date: string, now = Date.now()): number {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${todayUtc(now)}T00:00:00Z`)) / DAY_MS);
}

export const daysLeftOf = (date: string | null, now = Date.now()): number | null => (date === null ? null : daysUntil(date, now));
