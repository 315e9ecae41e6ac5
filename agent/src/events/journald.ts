import * as v from 'valibot';
import { parseJournalLine } from '../parsers/journal-json';
import { runProgram } from '../run-program';
import type { EventItem, EventSource } from './event-source';

const Cursor = v.union([v.object({ since: v.number() }), v.object({ cursor: v.pipe(v.string(), v.minLength(1), v.maxLength(1024)) })]);
type Cursor = v.InferOutput<typeof Cursor>;

/**
 * journald, through journalctl: priorities err to emerg as JSON, after the saved cursor (or
 * since the first start, as @epoch seconds). Reading stops after `max` lines, so a backlog is
 * taken in bounded steps.
 */
export function journaldSource(journalctl = 'journalctl'): EventSource<Cursor> {
  return {
    name: 'journald',
    cursorSchema: Cursor,
    start: async (nowMs) => ({ since: nowMs }),
    async read(cursor, max) {
      const from = 'cursor' in cursor ? `--after-cursor=${cursor.cursor}` : `--since=@${Math.floor(cursor.since / 1000)}`;
      const items: EventItem<Cursor>[] = [];
      const r = await runProgram(journalctl, ['--priority=err..emerg', '--output=json', '--no-pager', '--quiet', from], {
        timeoutMs: 60_000,
        maxLines: max,
        onLine(line) {
          const parsed = parseJournalLine(line);
          if (parsed) items.push({ entry: parsed.entry, cursor: { cursor: parsed.cursor } });
        },
      });
      if (r.code === 0) return items;
      // A cursor from a journal that was vacuumed away: start over from now.
      if ('cursor' in cursor && /cursor/i.test(r.stderr)) return { reset: { since: Date.now() } };
      return items.length ? items : null;
    },
  };
}
