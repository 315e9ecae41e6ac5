import * as v from 'valibot';
import { readFileSync } from 'node:fs';
import type { EventsFrame } from '../../../protocol/agent-frames';
import { MAX_EVENTS_PER_FRAME } from '../../../protocol/device-state';
import { packFrames } from '../frame-guard';
import { writeFileAtomic } from '../fs-atomic';
import { describeError, log } from '../log';
import type { EventSource } from './event-source';

/** After an ack of a full batch the next is read at once, up to this many per interval. */
export const MAX_DRAIN_STEPS = 10;

const Saved = v.object({
  source: v.string(),
  cursor: v.unknown(),
  pending: v.nullable(v.object({ fid: v.number(), cursor: v.unknown(), full: v.boolean() })),
});

export interface EventCollectorDeps<C> {
  source: EventSource<C>;
  /** Where the cursor is kept (state dir, owner-only). */
  path: string;
  /** Makes an events frame durable and sends it when connected; its fid, or null if refused. */
  emit(frame: Omit<EventsFrame, 'fid'>): number | null;
  /** Whether the outbox still holds this fid unacknowledged. */
  unacked(fid: number): boolean;
  now?: () => number;
  maxEntries?: number;
}

/**
 * Reads an event log from a saved cursor and sends what is new as one durable frame at a
 * time. The cursor moves only when the hub acknowledges that frame's fid, so entries are
 * never lost between reading and storing; until then the frame waits in the outbox (resent
 * after reconnects and restarts) and nothing further is read, so nothing is sent twice.
 */
export class EventCollector<C> {
  private cursor: C | null = null;
  private pending: { fid: number; cursor: C; full: boolean } | null = null;
  private busy = false;
  private drainSteps = 0;
  private complained = false;
  private readonly now: () => number;
  private readonly max: number;

  constructor(private readonly deps: EventCollectorDeps<C>) {
    this.now = deps.now ?? Date.now;
    this.max = Math.min(deps.maxEntries ?? MAX_EVENTS_PER_FRAME, MAX_EVENTS_PER_FRAME);
    this.load();
  }

  /** The saved position, for tests and status. */
  get position(): { cursor: C | null; pendingFid: number | null } {
    return { cursor: this.cursor, pendingFid: this.pending?.fid ?? null };
  }

  /** The collector's interval: a fresh allowance of backlog steps, then one read. */
  async tick(): Promise<void> {
    this.drainSteps = 0;
    await this.collect();
  }

  /** The hub stored these fids: if ours is among them, the cursor moves past its entries. */
  onAck(fids: readonly number[]): void {
    if (!this.pending || !fids.includes(this.pending.fid)) return;
    const { cursor, full } = this.pending;
    this.cursor = cursor;
    this.pending = null;
    this.save();
    if (full && this.drainSteps < MAX_DRAIN_STEPS) {
      this.drainSteps++;
      void this.collect();
    }
  }

  private async collect(): Promise<void> {
    // The outbox dropped the frame (over its size bound) without an ack: do not wait forever.
    if (this.pending && !this.deps.unacked(this.pending.fid)) this.onAck([this.pending.fid]);
    if (this.busy || this.pending) return;
    this.busy = true;
    try {
      await this.step();
    } catch (err) {
      log.warn(`event log (${this.deps.source.name}): ${describeError(err)}`);
    } finally {
      this.busy = false;
    }
  }

  private async step(): Promise<void> {
    const { source } = this.deps;
    if (this.cursor === null) {
      const start = await source.start(this.now());
      if (start === null) return this.unavailable();
      this.cursor = start;
      this.save();
      return;
    }
    const read = await source.read(this.cursor, this.max);
    if (read === null) return this.unavailable();
    this.complained = false;
    if ('reset' in read) {
      log.warn(`event log (${source.name}): saved position no longer exists; reading on from a new position`);
      this.cursor = read.reset;
      this.save();
      return;
    }
    if (!read.length) return;
    const { groups } = packFrames(read, (group) => ({ t: 'events', fid: 1, entries: group.map((i) => i.entry) }));
    const batch = groups[0];
    if (!batch?.length) return;
    const fid = this.deps.emit({ t: 'events', entries: batch.map((i) => i.entry) });
    if (fid === null) return;
    this.pending = { fid, cursor: batch[batch.length - 1].cursor, full: read.length >= this.max || batch.length < read.length };
    this.save();
  }

  private unavailable(): void {
    if (!this.complained) log.info(`event log (${this.deps.source.name}) cannot be read on this machine; will keep trying`);
    this.complained = true;
  }

  private load(): void {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(this.deps.path, 'utf8'));
    } catch {
      return; // first run: start from now
    }
    const saved = v.safeParse(Saved, raw);
    if (!saved.success || saved.output.source !== this.deps.source.name) return;
    const schema = this.deps.source.cursorSchema;
    const cursor = v.safeParse(schema, saved.output.cursor);
    if (cursor.success) this.cursor = cursor.output;
    const p = saved.output.pending;
    const pendingCursor = p ? v.safeParse(schema, p.cursor) : null;
    if (!p || !pendingCursor?.success) return;
    if (this.deps.unacked(p.fid)) {
      this.pending = { fid: p.fid, cursor: pendingCursor.output, full: p.full };
    } else {
      // Acknowledged just before the agent stopped (or dropped by the outbox bound): move on.
      this.cursor = pendingCursor.output;
      this.save();
    }
  }

  private save(): void {
    const data = { source: this.deps.source.name, cursor: this.cursor, pending: this.pending };
    try {
      writeFileAtomic(this.deps.path, JSON.stringify(data) + '\n', 0o600);
    } catch (err) {
      log.warn(`cannot save the event log position: ${describeError(err)}`);
    }
  }
}
