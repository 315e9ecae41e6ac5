import type { InventoryRejectFrame } from '../../../protocol/agent-frames';
import type { CollectInventoryResult } from '../../../protocol/command';
import type * as v from 'valibot';
import { Periodic } from '../collectors/periodic';
import { frameProblem } from '../frame-guard';
import { describeError, log } from '../log';
import { loadInventoryState, saveInventoryState, type InventoryState } from './inventory-state';
import { collectSnapshot, inventoryParts, type InventoryPart, type NamedSnapshot } from './snapshot';

export interface InventorySenderDeps {
  /** The state file (acknowledged and in-flight snapshots). */
  path: string;
  /** Keeps a frame until acknowledged and sends it when connected; returns its fid. */
  emit(frame: InventoryPart): number;
  /** Whether the outbox still holds this fid unacknowledged. */
  unacked(fid: number): boolean;
  collect?: () => Promise<NamedSnapshot>;
  now?: () => number;
  /** How long after the hub's welcome the connect-time collection runs. */
  afterWelcomeMs?: number;
}

/** After the quick collectors (services, processes, security, SMART start within 7 s): connecting is not one burst. */
export const AFTER_WELCOME_MS = 10_000;

/** A hub that keeps asking for full snapshots is answered at most this often from the socket. */
const RESYNC_BURST = 3;
const RESYNC_WINDOW_MS = 10 * 60_000;

/**
 * Collects inventory on connect, on its interval and on request, and sends only what changed
 * since the snapshot the hub last acknowledged. One snapshot is in flight at a time: its
 * parts wait in the outbox (resent after reconnects and restarts) and it becomes the base
 * of the next diff once every part's fid is acknowledged. An unchanged machine sends nothing.
 */
export class InventorySender {
  private state: InventoryState = { acked: null, inflight: null };
  private readonly remaining = new Set<number>();
  private readonly loaded: Promise<void>;
  private readonly loop: Periodic;
  private readonly collect: () => Promise<NamedSnapshot>;
  private readonly now: () => number;
  private running: Promise<CollectInventoryResult> | null = null;
  /** A different snapshot was collected while one was in flight: collect again when it lands. */
  private again = false;
  /** The hub refused the last snapshot: only the timer tries again. */
  private heldBack = false;
  private stopped = false;
  private resyncs: number[] = [];
  private welcomeTimer: NodeJS.Timeout | null = null;

  constructor(private readonly deps: InventorySenderDeps) {
    this.collect = deps.collect ?? (() => collectSnapshot());
    this.now = deps.now ?? Date.now;
    this.loop = new Periodic('inventory', async () => {
      this.heldBack = false;
      await this.collectNow();
    });
    this.loaded = this.load();
  }

  /** The hash the next diff is based on (status, tests). */
  get acknowledged(): string | null {
    return this.state.acked?.hash ?? null;
  }

  start(seconds: number): void {
    this.loop.start(seconds, seconds * 1000);
  }

  setInterval(seconds: number): void {
    this.loop.setInterval(seconds);
  }

  stop(): void {
    this.stopped = true;
    this.loop.stop();
    if (this.welcomeTimer) clearTimeout(this.welcomeTimer);
  }

  /** The hub welcomed us: whatever changed while we were away goes shortly. */
  onWelcome(): void {
    if (this.welcomeTimer) clearTimeout(this.welcomeTimer);
    this.welcomeTimer = setTimeout(() => {
      this.welcomeTimer = null;
      if (!this.heldBack && !this.stopped) this.collectInBackground();
    }, this.deps.afterWelcomeMs ?? AFTER_WELCOME_MS);
    this.welcomeTimer.unref();
  }

  onAck(fids: readonly number[]): void {
    if (!this.state.inflight) return;
    for (const fid of fids) this.remaining.delete(fid);
    if (this.remaining.size === 0) this.landed();
  }

  /** The hub does not hold our base (or its result did not hash right): start over with a full snapshot. */
  onResync(): void {
    log.info('the server asked for a full inventory snapshot');
    this.state = { acked: null, inflight: null };
    this.remaining.clear();
    this.again = false;
    this.save();
    const now = this.now();
    this.resyncs = this.resyncs.filter((t) => now - t < RESYNC_WINDOW_MS);
    if (this.resyncs.length >= RESYNC_BURST) {
      log.warn(`the server asked for ${RESYNC_BURST + 1} full inventory snapshots within ${RESYNC_WINDOW_MS / 60_000} minutes: the next goes on the timer`);
      return;
    }
    this.resyncs.push(now);
    this.collectInBackground();
  }

  onReject(frame: v.InferOutput<typeof InventoryRejectFrame>): void {
    log.warn(`the server refused inventory frame ${frame.fid ?? '(unnamed)'}: ${frame.reason}`);
    const inflight = this.state.inflight;
    if (!inflight || frame.fid === undefined || !inflight.fids.includes(frame.fid)) return;
    // Its other parts may still arrive (they are in the outbox), but this snapshot will not be
    // applied: it is dropped, and sent again only when the timer next finds a change.
    this.state = { ...this.state, inflight: null };
    this.remaining.clear();
    this.again = false;
    this.heldBack = true;
    this.save();
  }

  /** Collects now and queues what changed; concurrent callers share one collection. */
  collectNow(): Promise<CollectInventoryResult> {
    this.running ??= this.collectAndQueue().finally(() => (this.running = null));
    return this.running;
  }

  private collectInBackground(): void {
    this.collectNow().catch((err) => log.warn(`inventory: ${describeError(err)}`));
  }

  private async collectAndQueue(): Promise<CollectInventoryResult> {
    await this.loaded;
    const next = await this.collect();
    this.settleIfDropped();
    const { acked } = this.state;
    const result: CollectInventoryResult = { hash: next.hash, changed: next.hash !== acked?.hash, software: next.snapshot.software.length, parts: 0 };
    if (this.stopped) return result;
    if (this.state.inflight) {
      if (next.hash !== this.state.inflight.hash) this.again = true;
      return result;
    }
    if (!result.changed) return result;
    const parts = inventoryParts(next, acked, this.now());
    for (const part of parts) {
      const problem = frameProblem({ ...part, fid: 1 });
      if (problem) throw new Error(`inventory part ${part.part} would be refused (${problem}); nothing sent`);
    }
    const fids = parts.map((part) => this.deps.emit(part));
    this.state = { acked, inflight: { ...next, base: acked?.hash ?? null, fids } };
    fids.forEach((fid) => this.remaining.add(fid));
    this.save();
    const items = parts.reduce((n, p) => n + p.upsert.length + p.remove.length, 0);
    log.info(`inventory changed: sending ${acked ? 'a diff' : 'a full snapshot'} of ${items} item(s) in ${parts.length} part(s)`);
    return { ...result, parts: parts.length };
  }

  /** Parts the outbox dropped (over its size bound) will never be acknowledged: do not wait for them. */
  private settleIfDropped(): void {
    for (const fid of [...this.remaining]) if (!this.deps.unacked(fid)) this.remaining.delete(fid);
    if (this.state.inflight && this.remaining.size === 0) this.landed();
  }

  /** Every part acknowledged: the snapshot is the hub's, and the base of the next diff. */
  private landed(): void {
    const inflight = this.state.inflight!;
    this.state = { acked: { hash: inflight.hash, snapshot: inflight.snapshot }, inflight: null };
    this.save();
    if (this.again && !this.stopped) {
      this.again = false;
      this.collectInBackground();
    }
  }

  private async load(): Promise<void> {
    this.state = await loadInventoryState(this.deps.path);
    const inflight = this.state.inflight;
    if (!inflight) return;
    // Parts acknowledged just before the agent stopped are no longer in the outbox.
    inflight.fids.filter((fid) => this.deps.unacked(fid)).forEach((fid) => this.remaining.add(fid));
    if (this.remaining.size === 0) this.landed();
  }

  private save(): void {
    if (!this.stopped) saveInventoryState(this.deps.path, this.state);
  }
}
