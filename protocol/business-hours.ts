/*
 * SLA clock arithmetic: adding business minutes to an instant, counted only inside a
 * calendar's working hours, in the calendar's time zone (via Intl, so DST is the zone's own),
 * skipping holidays. Shared by the API (due times when a ticket opens or changes priority)
 * and the dashboard (showing how much of a target is left).
 */

export interface BusinessCalendarHours {
  /** IANA zone, e.g. "Europe/Berlin". */
  timezone: string;
  /** 7 entries, Sunday first; each a list of [startMinute, endMinute) spans of the local day (0..1440). */
  hours: readonly (readonly (readonly [number, number])[])[];
  /** Local dates (YYYY-MM-DD) without working hours. */
  holidays: readonly string[];
}

/** How far ahead a due time is searched; a calendar that far from reaching the target has none. */
const MAX_DAYS = 5 * 366;
const MINUTE = 60_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timezone, f);
  }
  return f;
}

interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function localParts(timezone: string, at: number): LocalTime {
  const out: Record<string, number> = {};
  for (const p of formatter(timezone).formatToParts(new Date(at))) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return { year: out.year!, month: out.month!, day: out.day!, hour: out.hour! % 24, minute: out.minute!, second: out.second! };
}

/** The zone's offset from UTC at an instant, in ms (local = utc + offset). */
function offsetAt(timezone: string, at: number): number {
  const l = localParts(timezone, at);
  const asUtc = Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second);
  return asUtc - Math.floor(at / 1000) * 1000;
}

/**
 * The instant of a local wall-clock time. A time skipped by a spring-forward gap maps to the
 * instant the clock jumps over it (as if the clock had not moved yet); an hour that happens
 * twice in autumn maps to its first occurrence.
 */
export function localToInstant(timezone: string, year: number, month: number, day: number, minuteOfDay: number): number {
  const wall = Date.UTC(year, month - 1, day) + minuteOfDay * MINUTE;
  // The offsets a day either side cover any one transition near this wall time.
  const before = offsetAt(timezone, wall - 86_400_000);
  const after = offsetAt(timezone, wall + 86_400_000);
  const valid = [before, after].map((o) => wall - o).filter((t) => offsetAt(timezone, t) === wall - t);
  if (valid.length) return Math.min(...valid);
  // Inside a gap: read the wall time with the offset in force before the jump.
  return wall - before;
}

/** The local calendar date of an instant in the zone. */
export function localDate(timezone: string, at: number): { year: number; month: number; day: number } {
  const l = localParts(timezone, at);
  return { year: l.year, month: l.month, day: l.day };
}

const iso = (y: number, m: number, d: number) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

/** True when the zone name is one this runtime knows. */
export function isTimeZone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

/**
 * `from` plus `minutes` of working time. Time outside the calendar's spans and on holidays
 * does not count; a start outside working hours waits for the next span. Answers null when
 * the calendar has no working time within about five years (an empty calendar never ends).
 * Zero minutes answers `from` itself.
 */
export function addBusinessMinutes(calendar: BusinessCalendarHours, from: number, minutes: number): number | null {
  if (minutes <= 0) return from;
  if (!calendar.hours.some((day) => day.length > 0)) return null;
  const holidays = new Set(calendar.holidays);
  const start = localDate(calendar.timezone, from);
  let remaining = minutes * MINUTE;
  for (let i = 0; i < MAX_DAYS; i++) {
    const date = new Date(Date.UTC(start.year, start.month - 1, start.day + i));
    const [y, m, d] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
    if (holidays.has(iso(y, m, d))) continue;
    for (const [s, e] of calendar.hours[date.getUTCDay()] ?? []) {
      const spanStart = localToInstant(calendar.timezone, y, m, d, s);
      const spanEnd = localToInstant(calendar.timezone, y, m, d, e);
      const begin = Math.max(spanStart, from);
      if (begin >= spanEnd) continue;
      if (remaining <= spanEnd - begin) return begin + remaining;
      remaining -= spanEnd - begin;
    }
  }
  return null;
}

/** Plain wall-clock addition, for a policy without a calendar (round the clock). */
export const addCalendarMinutes = (from: number, minutes: number): number => from + Math.max(0, minutes) * MINUTE;
