import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { EventEntry } from '../../protocol/device-state';
import { mergeWindowsEvents } from '../src/events/windows-events';
import { eventMessage } from '../src/parsers/event-text';
import { parseJournalLine } from '../src/parsers/journal-json';
import { logStartArg, parseLogLine, parseLogTimestamp } from '../src/parsers/macos-log';
import { parseWindowsEvents } from '../src/parsers/windows-events';
import { fixture, fixtureJson } from './helpers/fixtures';

const lines = (name: string) => fixture(name).split('\n').filter(Boolean);

describe('journald entries', () => {
  it('reads errors and critical entries with their cursor, source and time', () => {
    const parsed = lines('journal-err.jsonl').map(parseJournalLine);
    expect(parsed[0]).toEqual({
      cursor: expect.stringContaining('i=1a2b3'),
      entry: {
        ts: 1710245400123,
        level: 'error',
        source: 'nginx',
        eventId: null,
        message: '2024/03/12 12:10:00 [emerg] 1234#1234: bind() to 0.0.0.0:80 failed (98: Address already in use)',
      },
    });
    expect(parsed[1]!.entry).toMatchObject({ level: 'critical', source: 'kernel' });
    // A binary message (an array of bytes) is decoded; the invalid byte becomes U+FFFD.
    expect(parsed[2]!.entry).toMatchObject({ source: 'backup.sh', message: 'backup failed: \uFFFD' });
    expect(parsed[3]!.entry).toMatchObject({ level: 'critical', source: 'systemd' });
    // Informational entries are not events here, and garbage is skipped.
    expect(parsed[4]).toBeNull();
    expect(parseJournalLine('not json')).toBeNull();
    for (const p of parsed.slice(0, 4)) expect(v.is(EventEntry, p!.entry)).toBe(true);
  });

  it('bounds messages and removes control characters', () => {
    expect(eventMessage('a\u0000b\u001b[31mc\r\nd')).toBe('a b [31mc\nd');
    expect(eventMessage('x'.repeat(5000))).toHaveLength(2048);
  });
});

describe('Windows event log entries', () => {
  const parsed = parseWindowsEvents(fixtureJson('windows-events.json'))!;

  it('reads critical and error records, keeping the provider and event id', () => {
    expect(parsed.newest).toEqual({ System: 48213, Application: 9120 });
    expect(parsed.events).toHaveLength(4); // the level-4 record is not an error
    expect(parsed.events[1]).toMatchObject({ log: 'System', record: 48207, entry: { level: 'critical', source: 'Microsoft-Windows-Kernel-Power', eventId: 41 } });
    expect(parsed.events[3].entry.message).toBe('(no message text; event id 11708)');
    for (const e of parsed.events) expect(v.is(EventEntry, e.entry)).toBe(true);
  });

  it('merges both logs by time and gives each entry the cursor that resumes after it', () => {
    const items = mergeWindowsEvents({ System: 48200, Application: 9100 }, parsed.events, 3);
    expect(items.map((i) => i.entry.eventId)).toEqual([7034, 1000, 41]);
    expect(items.map((i) => i.cursor)).toEqual([
      { System: 48201, Application: 9100 },
      { System: 48201, Application: 9118 },
      { System: 48207, Application: 9118 },
    ]);
    // Records at or before the cursor are never repeated.
    expect(mergeWindowsEvents({ System: 48207, Application: 9118 }, parsed.events, 10).map((i) => i.entry.eventId)).toEqual([11708]);
  });
});

describe('macOS unified log entries', () => {
  it('parses ndjson errors and faults with microsecond times', () => {
    const parsed = lines('macos-log.ndjson').map(parseLogLine);
    expect(parsed[0]).toEqual({
      micros: Date.UTC(2024, 2, 12, 12, 10, 0) * 1000 + 123456,
      entry: {
        ts: Date.UTC(2024, 2, 12, 12, 10, 0) + 123,
        level: 'error',
        source: 'com.apple.TimeMachine',
        eventId: null,
        message: 'Failed to connect to com.apple.backupd: Connection interrupted',
      },
    });
    expect(parsed[1]!.entry).toMatchObject({ level: 'critical', source: 'kernel' });
    expect(parsed[3]).toBeNull(); // "Default" messages
    expect(parsed[4]).toBeNull(); // the summary line
  });

  it('formats the start time in UTC with an explicit offset', () => {
    const micros = Date.UTC(2024, 2, 12, 12, 10, 2) * 1000 + 500_000;
    expect(logStartArg(micros)).toBe('2024-03-12 12:10:02+0000');
    expect(parseLogTimestamp('2024-03-12 04:10:02.500000-0800')).toBe(micros);
    expect(parseLogTimestamp('yesterday')).toBeNull();
  });
});
