/*
 * Working hours as people type them ("09:00–12:00, 13:00–17:00") ⇄ the API's minute spans,
 * and SLA targets as hours plus minutes ⇄ whole minutes.
 */

export type Span = [number, number];

/** Sunday first, as the API counts; the editor lists Monday first. */
export const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
export const WEEK_ORDER = [1, 2, 3, 4, 5, 6, 0] as const;

const pad = (n: number) => String(n).padStart(2, '0');

/** 540 → "09:00"; the end of the day is "24:00", not "00:00". */
function formatMinute(m: number): string {
  return `${pad(Math.floor(m / 60))}:${pad(m % 60)}`;
}

export function formatSpans(spans: readonly (readonly [number, number])[]): string {
  return spans.map(([s, e]) => `${formatMinute(s)}–${formatMinute(e)}`).join(', ');
}

function parseMinute(text: string): number | null {
  const m = /^(\d{1,2})(?::(\d{2}))?$/.exec(text.trim());
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2] ?? '0');
  if (min > 59 || h > 24 || (h === 24 && min > 0)) return null;
  return h * 60 + min;
}

/**
 * "09:00–12:00, 13:00–17:00" → [[540, 720], [780, 1020]]; empty text is a closed day.
 * Hyphens and dashes both separate start from end. Order and overlaps are the API's to judge.
 */
export function parseSpans(text: string): { spans: Span[] } | { error: string } {
  const parts = text.split(/[,;]/).map((p) => p.trim()).filter(Boolean);
  const spans: Span[] = [];
  for (const part of parts) {
    const [from, to, extra] = part.split(/\s*[-–—]\s*/);
    const start = from === undefined ? null : parseMinute(from);
    const end = to === undefined ? null : parseMinute(to);
    if (start === null || end === null || extra !== undefined) return { error: `“${part}” is not a span like 09:00–17:00` };
    spans.push([start, end]);
  }
  return { spans };
}

/** The usual office week, for a new calendar. */
export function officeWeek(): Span[][] {
  return DAY_NAMES.map((_, day) => (day === 0 || day === 6 ? [] : [[540, 1020]]));
}

/** "Mon–Fri 09:00–17:00"-like summary: each distinct set of spans with the days that have it. */
export function describeWeek(hours: readonly (readonly (readonly [number, number])[])[]): string {
  const groups = new Map<string, string[]>();
  for (const day of WEEK_ORDER) {
    const text = formatSpans(hours[day] ?? []);
    if (!text) continue;
    groups.set(text, [...(groups.get(text) ?? []), DAY_NAMES[day].slice(0, 3)]);
  }
  if (groups.size === 0) return 'never open';
  return [...groups].map(([spans, days]) => `${days.length === 7 ? 'every day' : days.join(' ')} ${spans}`).join(' · ');
}

/** The two inputs of a target: hours and minutes as typed; both blank is no target. */
export interface DurationText {
  hours: string;
  minutes: string;
}

export function toDurationText(total: number | undefined): DurationText {
  if (total === undefined) return { hours: '', minutes: '' };
  return { hours: String(Math.floor(total / 60)), minutes: String(total % 60) };
}

/** null: blank (no target); a string: what is wrong; a number: whole minutes. */
export function fromDurationText(d: DurationText): number | null | string {
  const h = d.hours.trim();
  const m = d.minutes.trim();
  if (!h && !m) return null;
  if ((h && !/^\d+$/.test(h)) || (m && !/^\d+$/.test(m))) return 'whole hours and minutes';
  const total = Number(h || '0') * 60 + Number(m || '0');
  return total > 0 ? total : 'more than zero';
}
