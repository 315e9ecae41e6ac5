import { formatBytes } from '../../lib/format';

const day = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: '2-digit' });

/** A date without the time: install dates and firmware dates are days, not moments. */
export function formatDay(ms: number | null | undefined): string {
  return ms ? day.format(ms) : '';
}

/** Bytes when reported; '' (left out) when not. */
export function bytesOrNone(n: number | null | undefined): string {
  return n === null || n === undefined ? '' : formatBytes(n);
}

export function withUnit(n: number | null | undefined, unit: string): string {
  return n === null || n === undefined ? '' : `${n.toLocaleString()} ${unit}`;
}

export function yesNo(b: boolean | null | undefined, yes = 'Yes', no = 'No'): string {
  return b === null || b === undefined ? '' : b ? yes : no;
}

/** Parts joined with a space, skipping the unreported ones ("Dell Inc." "Latitude 7420"). */
export function joined(...parts: (string | null | undefined)[]): string {
  return parts.filter(Boolean).join(' ');
}

const DAY_MS = 86_400_000;
/** Whole days from now until a YYYY-MM-DD date (negative once it passed); null when unreadable. */
export function daysUntil(date: string | null, now: number): number | null {
  if (!date) return null;
  const at = Date.parse(`${date.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(at) ? null : Math.floor((at - now) / DAY_MS);
}
