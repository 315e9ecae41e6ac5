import type { InventoryFrame } from '../../protocol/agent-frames';
import { canonicalJson, inventoryHash, MAX_SOFTWARE_ITEMS, softwareKey } from '../../protocol/inventory';
import { sha256Hex } from '../../worker/lib/crypto';
import { newId } from '../../worker/lib/ids';
import type { InventoryStatus } from '../contracts';
import type { CheckEngine } from './check-engine';
import { hardwareChanges, osChanges, softwareChanges, type HeldItem, type InventoryChange } from './inventory-changes';
import { changeInserts, inventoryUpsert, softwareDeletes, softwareUpserts } from './inventory-d1';
import { InventoryStore, type StagedPart } from './inventory-store';
import type { HubState } from './hub-state';
import { send } from './sockets';

const SYNC_RETRY_MS = 5_000;
/* If the hub dies between applying a snapshot and writing D1, this job finishes the write. */
const SYNC_SAFETY_NET_MS = 60_000;
/* Per D1 batch: 700 rows are 100 upsert statements, so a typical first snapshot is one batch. */
const ROWS_PER_BATCH = 700;
const CHANGES_PER_BATCH = 220;

/**
 * The agent's inventory snapshots: parts are staged as they arrive (each acked once stored),
 * a complete snapshot is checked against its hash and applied as a diff of what the hub
 * holds, and only that diff goes to D1. Frames are handled one at a time, in arrival order:
 * hashing awaits, and two applies must not interleave.
 */
export class InventoryIngest {
  private readonly store: InventoryStore;
  private chain: Promise<void> = Promise.resolve();
  private syncing: Promise<boolean> | null = null;
  /* One resync per refused snapshot: its other parts need no second one. */
  private resyncedFor: string | null = null;

  constructor(
    private readonly s: HubState,
    private readonly engine: CheckEngine,
  ) {
    this.store = new InventoryStore(s.ctx.storage.sql);
  }

  onFrame(ws: WebSocket, frame: InventoryFrame): Promise<void> {
    const run = this.chain.then(() => this.handle(ws, frame));
    this.chain = run.catch(() => {});
    return run;
  }

  /** A frame the hub cannot read: refused and acked, so the agent neither resends it nor loses the socket. */
  onInvalid(ws: WebSocket, fid: number | null, reason: string): void {
    const now = Date.now();
    const s = this.s;
    s.ctx.storage.transactionSync(() => {
      this.store.countRejection(reason, now);
      if (fid !== null) s.fids.record(fid, now);
    });
    send(ws, { t: 'inv_reject', ...(fid !== null ? { fid } : {}), reason: reason.slice(0, 256) });
    if (fid !== null) send(ws, { t: 'ack', fids: [fid] });
  }

  status(): InventoryStatus {
    return this.store.status();
  }

  private async handle(ws: WebSocket, frame: InventoryFrame): Promise<void> {
    const s = this.s;
    const ack = () => send(ws, { t: 'ack', fids: [frame.fid] });
    if (s.fids.seen(frame.fid)) return ack();
    const now = Date.now();
    const held = this.store.heldHash();
    if (frame.hash === held || (frame.base !== null && frame.base !== held)) {
      s.ctx.storage.transactionSync(() => {
        s.fids.record(frame.fid, now);
        this.store.dropStage(frame.hash);
      });
      ack();
      if (frame.hash !== held) this.resync(ws, frame.hash, held);
      return;
    }
    const { t: _t, fid: _fid, ...part } = frame;
    const staged = s.ctx.storage.transactionSync(() => {
      s.fids.record(frame.fid, now);
      return this.store.stage(part);
    });
    ack();
    if (staged >= frame.parts) await this.apply(ws, frame.hash, now);
  }

  private resync(ws: WebSocket, hash: string, held: string | null): void {
    if (this.resyncedFor === hash) return;
    this.resyncedFor = hash;
    send(ws, { t: 'inv_resync', hash: held });
  }

  private refuse(ws: WebSocket, hash: string, reason: string, now: number): void {
    this.s.ctx.storage.transactionSync(() => {
      this.store.countRejection(reason, now);
      this.store.dropStage(hash);
    });
    this.resync(ws, hash, this.store.heldHash());
  }

  private async apply(ws: WebSocket, hash: string, now: number): Promise<void> {
    const parts = this.store.staged(hash);
    const first = parts[0];
    if (!first || parts.some((p, i) => p.part !== i || p.parts !== parts.length || p.base !== first.base)) {
      return this.refuse(ws, hash, 'snapshot parts disagree', now);
    }
    const held = this.store.held();
    if (first.base !== null && first.base !== held.hash) return this.refuse(ws, hash, 'diff against a snapshot the hub does not hold', now);

    const heldItems = this.store.items();
    const next = nextItems(first.base === null ? new Map() : heldItems, parts);
    const os = first.os ?? (first.base === null ? null : held.os);
    const hardware = first.hardware ?? (first.base === null ? null : held.hardware);
    if (!os || !hardware) return this.refuse(ws, hash, 'snapshot without os or hardware', now);
    if (next.size > MAX_SOFTWARE_ITEMS) return this.refuse(ws, hash, `more than ${MAX_SOFTWARE_ITEMS} software items`, now);
    const software = [...next.values()].map((h) => h.item);
    if ((await inventoryHash({ os, hardware, software }, sha256Hex)) !== hash) {
      return this.refuse(ws, hash, first.base === null ? 'snapshot did not hash to its name' : 'diff did not add up', now);
    }

    // The first snapshot is the starting point: its items are written, the timeline starts after.
    const sw = softwareChanges(heldItems, next);
    const changes: InventoryChange[] =
      held.hash === null ? [] : [...(held.os ? osChanges(held.os, os) : []), ...(held.hardware ? hardwareChanges(held.hardware, hardware) : []), ...sw.changes];
    const upserts = new Map<string, HeldItem>();
    const removed: string[] = [];
    for (const key of sw.dirty) {
      const n = next.get(key);
      if (n) upserts.set(key, n);
      else removed.push(key);
    }
    const stored = changes.map((c) => ({ ...c, id: newId('chg', now), at: now }));
    this.s.ctx.storage.transactionSync(() => {
      this.store.commit({ hash, collectedAt: first.collectedAt, os, hardware, upserts, removed, dirty: sw.dirty, changes: stored }, now);
      this.s.schedule.put('inventory_sync', now + SYNC_SAFETY_NET_MS);
      this.engine.onInventoryChanges(changes, now);
    });
    this.resyncedFor = null;
    if (!(await this.syncD1())) {
      this.s.schedule.put('inventory_sync', Date.now() + SYNC_RETRY_MS);
    }
    await this.s.schedule.arm();
    await this.engine.flush();
  }

  /** Job: D1 refused an earlier write; throws so the alarm backs off and tries again. */
  async syncJob(): Promise<void> {
    if (!(await this.syncD1())) throw new Error('inventory write to D1 failed');
  }

  /** Sends D1 everything it lacks; true when it has caught up. One sync at a time. */
  private syncD1(): Promise<boolean> {
    this.syncing ??= this.syncNow().finally(() => (this.syncing = null));
    return this.syncing;
  }

  private async syncNow(): Promise<boolean> {
    const id = this.s.identity;
    if (!id) return false;
    const scope = { db: this.s.env.DB, tenantId: id.tenantId, deviceId: id.deviceId };
    try {
      for (;;) {
        const rows = this.store.pendingRows(ROWS_PER_BATCH);
        const changes = this.store.pendingChanges(CHANGES_PER_BATCH);
        const held = this.store.held();
        const last = rows.length < ROWS_PER_BATCH && changes.length < CHANGES_PER_BATCH;
        const writeRow = last && held.rowDirty !== 0 && held.hash !== null && held.os !== null && held.hardware !== null;
        if (rows.length === 0 && changes.length === 0 && !writeRow) break;
        const statements = [
          ...softwareUpserts(scope, rows.flatMap((r) => (r.item ? [{ key: r.key, item: r.item, at: r.at }] : []))),
          ...softwareDeletes(scope, rows.filter((r) => r.item === null).map((r) => r.key)),
          ...changeInserts(scope, changes),
        ];
        if (writeRow) {
          statements.push(
            inventoryUpsert(scope, {
              hash: held.hash!,
              collectedAt: held.collectedAt ?? held.updatedAt ?? Date.now(),
              updatedAt: held.updatedAt ?? Date.now(),
              os: held.os!,
              hardware: held.hardware!,
              softwareCount: this.store.itemCount(),
            }),
          );
        }
        const results = await scope.db.batch(statements);
        const d1Rows = results.reduce((n, r) => n + (r.meta?.rows_written ?? 0), 0);
        this.store.written(rows, changes, writeRow ? held.rowDirty : 0, d1Rows);
        // Loops until nothing is left: an apply during the write joined this sync, not a new one.
      }
      this.s.schedule.remove('inventory_sync');
      return true;
    } catch (err) {
      console.error('inventory write to D1 failed; will retry', err);
      return false;
    }
  }
}

/** The snapshot the staged parts describe: a full one lists every item; a diff edits the held ones. */
function nextItems(base: Map<string, HeldItem>, parts: StagedPart[]): Map<string, HeldItem> {
  const next = new Map(base);
  for (const p of parts) for (const key of p.remove) next.delete(key);
  for (const p of parts) for (const item of p.upsert) next.set(softwareKey(item), { item, json: canonicalJson(item) });
  return next;
}
