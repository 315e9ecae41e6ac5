import type { EventEntry } from '../../../protocol/device-state';
import { eventEntry } from './event-text';

type Field = string | number[] | null | undefined;

/** journald stores non-UTF-8 or binary messages as an array of byte values. */
function text(value: Field): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return Buffer.from(value.filter((n) => Number.isInteger(n) && n >= 0 && n < 256)).toString('utf8');
  return '';
}

/**
 * One line of `journalctl -o json`: every field is a string, __REALTIME_TIMESTAMP in
 * microseconds, PRIORITY 0 (emerg) to 7 (debug). Emergency, alert and critical are one level.
 */
export function parseJournalLine(line: string): { entry: EventEntry; cursor: string } | null {
  let rec: Record<string, Field>;
  try {
    rec = JSON.parse(line) as Record<string, Field>;
  } catch {
    return null;
  }
  const cursor = text(rec.__CURSOR);
  const micros = Number(text(rec.__REALTIME_TIMESTAMP));
  const priority = Number(text(rec.PRIORITY));
  if (!cursor || !Number.isFinite(micros) || !Number.isInteger(priority) || priority > 3) return null;
  return {
    cursor,
    entry: eventEntry({
      ts: Math.floor(micros / 1000),
      level: priority <= 2 ? 'critical' : 'error',
      // The program's own name (sshd, kernel) is what people search logs for; the unit otherwise.
      source: text(rec.SYSLOG_IDENTIFIER) || text(rec._COMM) || text(rec._SYSTEMD_UNIT) || 'journal',
      eventId: null,
      message: text(rec.MESSAGE),
    }),
  };
}
