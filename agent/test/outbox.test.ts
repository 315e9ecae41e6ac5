import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Outbox } from '../src/outbox';
import { tempDir } from './helpers/agent-process';

const dirs: { remove(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));
function file(): string {
  const d = tempDir();
  dirs.push(d);
  return join(d.path, 'outbox.jsonl');
}

const out = (id: string, seq: number, data: string) => ({ t: 'out' as const, id, seq, stream: 'stdout' as const, data });

describe('outbox', () => {
  it('numbers frames in order and keeps them, private, across a reopen until acknowledged', () => {
    const path = file();
    const a = Outbox.open(path);
    const f1 = a.add({ t: 'cmd_ack', id: 'cmd_1' });
    const f2 = a.add(out('cmd_1', 0, 'hello'));
    const f3 = a.add({ t: 'done', id: 'cmd_1', status: 'succeeded', exitCode: 0, durationMs: 5, truncated: false });
    expect([f1.fid, f2.fid, f3.fid]).toEqual([1, 2, 3]);
    a.ack([2]);
    a.close(); // no compaction on close: a crash looks the same

    const b = Outbox.open(path);
    expect(b.pending()).toEqual([f1, f3]);
    expect(b.hasDoneFor('cmd_1')).toBe(true);
    expect(b.lastFid).toBe(3);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    b.close();
  });

  it('keeps event and check-result frames across a reopen like command results', () => {
    const path = file();
    const a = Outbox.open(path);
    const events = a.add({ t: 'events', entries: [{ ts: 1, level: 'error', source: 'nginx', eventId: null, message: 'bind() failed' }] });
    const results = a.add({ t: 'check_results', version: 'cfg_1', results: [{ key: 'web', status: 'fail', at: 2, message: 'HTTP 503' }] });
    a.close();
    const b = Outbox.open(path);
    expect(b.pending()).toEqual([events, results]);
    expect(b.has(events.fid)).toBe(true);
    b.ack([events.fid]);
    expect(b.has(events.fid)).toBe(false);
    b.close();
  });

  it('never reuses a fid, even after everything was acknowledged and compacted away', () => {
    const path = file();
    const a = Outbox.open(path);
    for (let i = 0; i < 5; i++) a.add(out('c', i, 'x'));
    a.ack([1, 2, 3, 4, 5]);
    a.close();
    const b = Outbox.open(path);
    expect(b.pending()).toEqual([]);
    expect(b.add(out('c', 5, 'y')).fid).toBe(6);
    b.close();
  });

  it('compacts the file once acknowledged frames dominate it', () => {
    const path = file();
    const box = Outbox.open(path);
    const big = 'z'.repeat(30_000);
    for (let i = 0; i < 60; i++) box.add(out('c', i, big));
    const before = statSync(path).size;
    expect(before).toBeGreaterThan(60 * 30_000);
    box.ack(Array.from({ length: 59 }, (_, i) => i + 1));
    expect(statSync(path).size).toBeLessThan(40_000);
    expect(box.pending().map((f) => f.fid)).toEqual([60]);
    box.close();
  });

  it('ignores a torn last line', () => {
    const path = file();
    const a = Outbox.open(path);
    a.add(out('c', 0, 'kept'));
    a.close();
    const torn = readFileSync(path, 'utf8') + '{"f":{"t":"out","fid":2,"id":"c","se';
    writeFileSync(path, torn);
    const b = Outbox.open(path);
    expect(b.pending().map((f) => f.fid)).toEqual([1]);
    expect(b.add(out('c', 1, 'next')).fid).toBe(2);
    b.close();
  });

  it('stays under its bound by dropping the oldest output first', () => {
    const path = file();
    const box = Outbox.open(path, 10_000);
    box.add({ t: 'cmd_ack', id: 'c' });
    for (let i = 0; i < 10; i++) box.add(out('c', i, 'o'.repeat(2_000)));
    box.add({ t: 'done', id: 'c', status: 'succeeded', exitCode: 0, durationMs: 1, truncated: false });
    const kept = box.pending();
    const bytes = kept.reduce((n, f) => n + JSON.stringify({ f }).length + 1, 0);
    expect(bytes).toBeLessThanOrEqual(10_000);
    expect(kept[0]).toMatchObject({ t: 'cmd_ack' });
    expect(kept[kept.length - 1]).toMatchObject({ t: 'done' });
    const seqs = kept.filter((f) => f.t === 'out').map((f) => (f.t === 'out' ? f.seq : -1));
    expect(seqs[seqs.length - 1]).toBe(9);
    expect(seqs.length).toBeLessThan(10);
    box.close();
  });
});
