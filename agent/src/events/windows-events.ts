import * as v from 'valibot';
import { parsePsJson, runPowerShell } from '../powershell';
import { EVENT_LOGS, WINDOWS_EVENTS_SCRIPT, parseWindowsEvents, type WindowsCursor, type WindowsEvent } from '../parsers/windows-events';
import type { EventItem, EventSource } from './event-source';

const Cursor = v.object({ System: v.number(), Application: v.number(), since: v.optional(v.number()) });

async function query(cursor: WindowsCursor, max: number) {
  // A minute of slack for clock differences; without a start time (the start query) ten years.
  const maxAge = cursor.since !== undefined ? Math.max(0, Date.now() - cursor.since) + 60_000 : 10 * 365 * 86_400_000;
  const r = await runPowerShell(WINDOWS_EVENTS_SCRIPT, {
    env: { TETHER_EVENT_CURSOR: JSON.stringify(cursor), TETHER_EVENT_MAX: String(max), TETHER_EVENT_MAX_AGE_MS: String(maxAge) },
    timeoutMs: 120_000,
  });
  return r.code === 0 ? parseWindowsEvents(parsePsJson(r.stdout)) : null;
}

/**
 * Merges the logs by time and keeps the first `max`. Each log stays in record order (a
 * cursor is a record id, so skipping one to take a later one would lose it); each item's
 * cursor holds, for every log, the last record taken up to and including that item.
 */
export function mergeWindowsEvents(cursor: WindowsCursor, events: WindowsEvent[], max: number): EventItem<WindowsCursor>[] {
  const queues = EVENT_LOGS.map((log) => events.filter((e) => e.log === log && e.record > cursor[log]).sort((a, b) => a.record - b.record));
  const running = { ...cursor };
  const out: EventItem<WindowsCursor>[] = [];
  while (out.length < max) {
    let pick = -1;
    queues.forEach((q, i) => {
      if (q.length && (pick < 0 || q[0].entry.ts < queues[pick][0].entry.ts)) pick = i;
    });
    if (pick < 0) break;
    const e = queues[pick].shift()!;
    running[e.log] = e.record;
    out.push({ entry: e.entry, cursor: { ...running } });
  }
  return out;
}

/** System and Application logs, critical (1) and error (2) levels, after saved record ids. */
export function windowsEventSource(): EventSource<WindowsCursor> {
  return {
    name: 'windows-eventlog',
    cursorSchema: Cursor,
    async start(nowMs) {
      const r = await query({ System: 0, Application: 0 }, 0);
      if (!r) return null;
      return { System: r.newest.System ?? 0, Application: r.newest.Application ?? 0, since: nowMs };
    },
    async read(cursor, max) {
      const r = await query(cursor, max);
      if (!r) return null;
      // A cleared log restarts its record ids below our cursor: read it again from the start.
      const cleared = EVENT_LOGS.filter((log) => r.newest[log] !== undefined && r.newest[log]! < cursor[log]);
      if (cleared.length) return { reset: { ...cursor, ...Object.fromEntries(cleared.map((l) => [l, 0])) } };
      return mergeWindowsEvents(cursor, r.events, max);
    },
  };
}
