import type { WindowSchedule } from '../../../../protocol/api/maintenance';
import { formatDateTime } from '../../lib/format';

/** ms ⇄ the value of an <input type="datetime-local"> (local wall time, minutes). */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function fromLocalInput(value: string): number | null {
  if (!value) return null;
  const ms = new Date(value).getTime();
  return Number.isFinite(ms) ? ms : null;
}

export function describeSchedule(s: WindowSchedule): string {
  if (s.kind === 'once') return `${formatDateTime(s.startsAt)} → ${formatDateTime(s.endsAt)}`;
  const hours = s.durationMinutes % 60 === 0 ? `${s.durationMinutes / 60} h` : `${s.durationMinutes} min`;
  return `cron “${s.cron}” for ${hours} (${s.timezone})`;
}

export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

let zones: string[] | null = null;
/** Every IANA zone the browser knows, for the time zone field's suggestions. */
export function timeZones(): string[] {
  zones ??= typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : ['UTC'];
  return zones;
}
