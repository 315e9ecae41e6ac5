import * as v from 'valibot';
import { afterEach, describe, expect, it } from 'vitest';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventsFrame } from '../../protocol/agent-frames';
import type { EventEntry } from '../../protocol/device-state';
import { EventCollector } from '../src/events/event-collector';
import type { EventSource } from '../src/events/event-source';
import { journaldSource } from '../src/events/journald';
import { tempDir } from './helpers/agent-process';
import { fixture } from './helpers/fixtures';

const dirs: { remove(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));
const dir = () => {
  const d = tempDir();
  dirs.push(d);
  return d.path;
};

/** An event log in memory: the cursor is the number of entries read. */
class MemoryLog implements EventSource<number> {
  readonly name = 'memory';
  readonly cursorSchema = v.number();
  entries: EventEntry[] = [];
  available = true;
  reads = 0;
  add(n: number, message = (i: number) => `error ${i}`): void {
    const base = this.entries.length;
    for (let i = 0; i < n; i++) this.entries.push({ ts: 1000 + base + i, level: 'error', source: 'test', eventId: null, message: message(base + i) });
  }
  async start() {
    return this.available ? this.entries.length : null;
  }
  async read(cursor: number, max: number) {
    this.reads++;
    if (!this.available) return null;
    return this.entries.slice(cursor, cursor + max).map((entry, i) => ({ entry, cursor: cursor + i + 1 }));
  }
}

function rig(path: string, log = new MemoryLog()) {
  const frames: { fid: number; entries: EventEntry[] }[] = [];
  const outbox = new Set<number>();
  let fid = 0;
  const make = () =>
    new EventCollector({
      source: log,
      path,
      emit(frame) {
        expect(v.is(EventsFrame, { ...frame, fid: fid + 1 })).toBe(true);
        frames.push({ fid: ++fid, entries: frame.entries });
        outbox.add(fid);
        return fid;
      },
      unacked: (f) => outbox.has(f),
    });
  const ack = (c: EventCollector<number>, f: number) => {
    outbox.delete(f);
    c.onAck([f]);
  };
  return { log, frames, outbox, make, ack };
}

/** Waits for the read an ack started (it runs in the background). */
const framesReach = async (r: { frames: unknown[] }, n: number) => {
  const end = Date.now() + 5000;
  while (r.frames.length < n && Date.now() < end) await new Promise((res) => setTimeout(res, 5));
  expect(r.frames).toHaveLength(n);
};

describe('event log collection', () => {
  it('starts from now, sends new entries once, and moves the cursor only when the hub acknowledges', async () => {
    const path = join(dir(), 'events.json');
    const r = rig(path);
    r.log.add(50); // history from before the first start: never sent
    const c = r.make();
    await c.tick();
    expect(r.frames).toEqual([]);
    expect(c.position).toEqual({ cursor: 50, pendingFid: null });
    expect(statSync(path).mode & 0o777).toBe(0o600);

    r.log.add(3);
    await c.tick();
    expect(r.frames).toHaveLength(1);
    expect(r.frames[0].entries.map((e) => e.message)).toEqual(['error 50', 'error 51', 'error 52']);
    expect(c.position).toEqual({ cursor: 50, pendingFid: 1 });
    // While unacknowledged, nothing more is read (the outbox resends the frame instead).
    r.log.add(1);
    await c.tick();
    expect(r.frames).toHaveLength(1);
    c.onAck([99]);
    expect(c.position.cursor).toBe(50);
    r.ack(c, 1);
    expect(c.position).toEqual({ cursor: 53, pendingFid: null });
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ cursor: 53, pending: null });
    await c.tick();
    expect(r.frames[1].entries.map((e) => e.message)).toEqual(['error 53']);
  });

  it('after a restart, waits for a frame still in the outbox, or moves on if it was acknowledged', async () => {
    const path = join(dir(), 'events.json');
    const r = rig(path);
    const first = r.make();
    await first.tick();
    r.log.add(2);
    await first.tick();
    expect(first.position.pendingFid).toBe(1);

    // Restart with the frame still unacknowledged: it is resent by the outbox, not re-read.
    const second = r.make();
    expect(second.position).toEqual({ cursor: 0, pendingFid: 1 });
    await second.tick();
    expect(r.frames).toHaveLength(1);

    // The ack arrived just before the next stop: the outbox forgot it, the cursor had not moved yet.
    r.outbox.delete(1);
    const third = r.make();
    expect(third.position).toEqual({ cursor: 2, pendingFid: null });
    await third.tick();
    expect(r.frames).toHaveLength(1);
  });

  it('works through a backlog in bounded frames, one after another as they are acknowledged', async () => {
    const r = rig(join(dir(), 'events.json'));
    const c = r.make();
    await c.tick();
    r.log.add(450);
    await c.tick();
    expect(r.frames.map((f) => f.entries.length)).toEqual([200]);
    r.ack(c, 1);
    await framesReach(r, 2);
    r.ack(c, 2);
    await framesReach(r, 3);
    r.ack(c, 3);
    await new Promise((res) => setTimeout(res, 50)); // the last batch was not full: no further read
    expect(r.frames.map((f) => f.entries.length)).toEqual([200, 200, 50]);
    expect(r.frames.flatMap((f) => f.entries).map((e) => e.message)).toEqual(r.log.entries.map((e) => e.message));
    expect(c.position).toEqual({ cursor: 450, pendingFid: null });
  });

  it('keeps each frame under the hub’s size limit, splitting long messages across frames', async () => {
    const r = rig(join(dir(), 'events.json'));
    const c = r.make();
    await c.tick();
    r.log.add(200, (i) => `${i} `.padEnd(2048, 'x'));
    await c.tick();
    const first = r.frames[0];
    expect(first.entries.length).toBeLessThan(200);
    expect(Buffer.byteLength(JSON.stringify({ t: 'events', fid: 1, entries: first.entries }))).toBeLessThan(256 * 1024);
    r.ack(c, 1);
    await framesReach(r, 2);
    expect(r.frames[0].entries.length + r.frames[1].entries.length).toBe(200);
  });

  it('keeps trying quietly when the log cannot be read', async () => {
    const r = rig(join(dir(), 'events.json'));
    r.log.available = false;
    const c = r.make();
    await c.tick();
    await c.tick();
    expect(c.position.cursor).toBeNull();
    r.log.available = true;
    await c.tick();
    expect(c.position.cursor).toBe(0);
    expect(r.frames).toEqual([]);
  });
});

describe('journald source', () => {
  it('reads err..emerg as JSON after the saved cursor, and since the first start before that', async () => {
    const bin = dir();
    const argvFile = join(bin, 'argv.txt');
    const journal = join(bin, 'journal.jsonl');
    writeFileSync(journal, fixture('journal-err.jsonl'));
    // A stand-in journalctl over recorded entries, honouring --after-cursor and --since.
    const fake = join(bin, 'journalctl');
    writeFileSync(
      fake,
      `#!${process.execPath}
const fs = require('fs');
const args = process.argv.slice(2);
fs.appendFileSync(${JSON.stringify(argvFile)}, JSON.stringify(args) + '\\n');
const lines = fs.readFileSync(${JSON.stringify(journal)}, 'utf8').split('\\n').filter(Boolean);
const after = args.find((a) => a.startsWith('--after-cursor='));
const since = args.find((a) => a.startsWith('--since=@'));
let out = lines;
if (after) {
  const i = lines.findIndex((l) => JSON.parse(l).__CURSOR === after.slice(15));
  if (i < 0) { process.stderr.write('Failed to seek to cursor: Invalid argument\\n'); process.exit(1); }
  out = lines.slice(i + 1);
}
if (since) out = out.filter((l) => Number(JSON.parse(l).__REALTIME_TIMESTAMP) >= Number(since.slice(9)) * 1e6);
process.stdout.write(out.map((l) => l + '\\n').join(''));
`,
    );
    chmodSync(fake, 0o755);
    const source = journaldSource(fake);

    const first = await source.read({ since: 1710245400500 }, 10);
    if (!Array.isArray(first)) throw new Error('expected entries');
    // From 12:10:00 (whole seconds): the informational entry is dropped by the parser.
    expect(first.map((i) => i.entry.source)).toEqual(['nginx', 'kernel', 'backup.sh', 'systemd']);
    const second = await source.read(first[1].cursor, 10);
    if (!Array.isArray(second)) throw new Error('expected entries');
    expect(second.map((i) => i.entry.source)).toEqual(['backup.sh', 'systemd']);
    const limited = await source.read(first[0].cursor, 1);
    expect(Array.isArray(limited) && limited.map((i) => i.entry.source)).toEqual(['kernel']);
    expect(await source.read({ cursor: 's=gone' }, 10)).toEqual({ reset: { since: expect.any(Number) } });

    const argv = readFileSync(argvFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as string[]);
    expect(argv[0]).toEqual(['--priority=err..emerg', '--output=json', '--no-pager', '--quiet', '--since=@1710245400']);
    expect(argv[1].at(-1)).toBe(`--after-cursor=${(first[1].cursor as { cursor: string }).cursor}`);
  });

  it('answers "nothing to read" on this machine without a journal, and never throws', async () => {
    const r = await journaldSource().read({ since: Date.now() }, 10);
    expect(r === null || Array.isArray(r)).toBe(true);
    expect(await journaldSource('/nonexistent/journalctl').read({ since: 0 }, 10)).toBeNull();
  });
});
