import type { EventEntry } from '../../../protocol/device-state';
import { eventEntry } from './event-text';

/** "2024-03-05 14:02:11.123456-0800" → microseconds since the epoch. */
export function parseLogTimestamp(s: string): number | null {
  const m = /^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?([+-])(\d\d):?(\d\d)$/.exec(s.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, sec, frac = '0', sign, oh, om] = m;
  const utcMs = Date.UTC(+y, +mo - 1, +d, +h, +mi, +sec) - (sign === '-' ? -1 : 1) * (+oh * 60 + +om) * 60_000;
  return utcMs * 1000 + Number(frac.padEnd(6, '0'));
}

/** The --start argument: UTC with an explicit offset, whatever the Mac's time zone. */
export function logStartArg(micros: number): string {
  const d = new Date(Math.floor(micros / 1_000_000) * 1000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}+0000`;
}

/**
 * One line of `log show --style ndjson`: timestamp, messageType ("Error", "Fault"),
 * eventMessage, subsystem, processImagePath… Faults are the more serious kind.
 */
export function parseLogLine(line: string): { entry: EventEntry; micros: number } | null {
  let rec: Record<string, unknown>;
  try {
    rec = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (!rec || typeof rec !== 'object' || typeof rec.timestamp !== 'string') return null;
  const type = String(rec.messageType ?? '');
  if (type !== 'Error' && type !== 'Fault') return null;
  const micros = parseLogTimestamp(rec.timestamp);
  if (micros === null) return null;
  const image = typeof rec.processImagePath === 'string' ? rec.processImagePath.split('/').pop() : '';
  const subsystem = typeof rec.subsystem === 'string' ? rec.subsystem : '';
  return {
    micros,
    entry: eventEntry({
      ts: Math.floor(micros / 1000),
      level: type === 'Fault' ? 'critical' : 'error',
      source: subsystem || image || 'unknown',
      eventId: null,
      message: typeof rec.eventMessage === 'string' ? rec.eventMessage : '',
    }),
  };
}
