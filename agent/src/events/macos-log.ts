import * as v from 'valibot';
import { logStartArg, parseLogLine } from '../parsers/macos-log';
import { runProgram } from '../run-program';
import type { EventItem, EventSource } from './event-source';

const Cursor = v.object({ afterUs: v.number() });
type Cursor = v.InferOutput<typeof Cursor>;

/** Entries in the same second as the cursor are read again and skipped: room for them. */
const OVERLAP_SLACK = 500;

/**
 * The unified log, through `log show`: errors and faults since the saved time. --start takes
 * whole seconds, so entries at or before the saved microsecond are dropped here.
 */
export function macosLogSource(): EventSource<Cursor> {
  return {
    name: 'macos-log',
    cursorSchema: Cursor,
    start: async (nowMs) => ({ afterUs: nowMs * 1000 }),
    async read(cursor, max) {
      const items: EventItem<Cursor>[] = [];
      const r = await runProgram(
        'log',
        ['show', '--style', 'ndjson', '--predicate', 'messageType == error OR messageType == fault', '--start', logStartArg(cursor.afterUs)],
        {
          timeoutMs: 120_000,
          maxLines: max + OVERLAP_SLACK,
          onLine(line) {
            const parsed = parseLogLine(line);
            if (parsed && parsed.micros > cursor.afterUs && items.length < max) items.push({ entry: parsed.entry, cursor: { afterUs: parsed.micros } });
          },
        },
      );
      if (r.code !== 0 && !items.length) return null;
      return items;
    },
  };
}
