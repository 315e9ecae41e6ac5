import * as v from 'valibot';
import { CalendarDate } from '../../../protocol/warranty';

/*
 * Vendors write dates as ISO dates or timestamps ("2026-01-01", "2026-01-01T04:59:59.000001Z").
 * A plain date is kept as written. A timestamp is read in `timeZone` when the vendor states its
 * days in one (Dell's end of day 23:59:59 Central arrives as 04:59:59Z the next day); without
 * one its written date is kept, so an end date never moves a day by conversion.
 */

export function vendorDate(raw: string | null | undefined, timeZone?: string): string | null {
  if (!raw) return null;
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.exec(raw.trim());
  if (!m || !v.is(CalendarDate, m[1])) return null;
  if (!timeZone || !m[2]) return m[1]!;
  // Date cannot read more than millisecond precision ("…59.000001Z"); the fraction does not move the day.
  const at = new Date(raw.trim().replace(/(\.\d{3})\d+/, '$1'));
  if (Number.isNaN(at.getTime())) return null;
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

export interface Coverage {
  start: string | null;
  end: string | null;
  description: string | null;
}

/**
 * The span of a device's entitlements: the earliest start and the latest end, described by the
 * entitlement that runs longest. Null when no entitlement has an end date.
 */
export function coverageSpan(entitlements: Coverage[]): { start: string | null; end: string; description: string | null } | null {
  let latest: (Coverage & { end: string }) | null = null;
  let start: string | null = null;
  for (const e of entitlements) {
    if (e.start && (start === null || e.start < start)) start = e.start;
    if (e.end && (latest === null || e.end > latest.end)) latest = { ...e, end: e.end };
  }
  if (!latest) return null;
  // An entitlement starting after the span's end would be a vendor inconsistency; keep the record valid.
  return { start: start !== null && start <= latest.end ? start : null, end: latest.end, description: latest.description?.slice(0, 255) ?? null };
}
