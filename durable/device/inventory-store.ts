import type { InventoryFrame } from '../../protocol/agent-frames';
import type { HardwareInventory, OsInventory, SoftwareItem } from '../../protocol/inventory';
import type { InventoryStatus } from '../contracts';
import type { HeldItem, InventoryChange } from './inventory-changes';

/*
 * The device's inventory as the hub holds it (tables in storage-schema.ts V4): the last
 * applied snapshot, parts of the next one, and what D1 has not been sent yet.
 */

export interface HeldInventory {
  hash: string | null;
  collectedAt: number | null;
  updatedAt: number | null;
  os: OsInventory | null;
  hardware: HardwareInventory | null;
  /** Generation of the last apply whose device_inventory row D1 lacks; 0 when D1 has it. */
  rowDirty: number;
}

/** A change record as it will be inserted in D1. */
export interface StoredChange extends InventoryChange {
  id: string;
  at: number;
}

/** A software row D1 must catch up with: `item` null means it is gone (delete it). */
export interface DirtyRow {
  key: string;
  gen: number;
  at: number;
  item: SoftwareItem | null;
}

export type StagedPart = Omit<InventoryFrame, 't' | 'fid'>;

/** The result of one apply, written in one transaction. */
export interface Applied {
  hash: string;
  collectedAt: number;
  os: OsInventory;
  hardware: HardwareInventory;
  /** Items to (re)write in the hub, by key; keys in `removed` go. */
  upserts: Map<string, HeldItem>;
  removed: string[];
  /** Everything D1 must rewrite for this apply. */
  dirty: string[];
  changes: StoredChange[];
}

type Row = Record<string, SqlStorageValue>;

export class InventoryStore {
  constructor(private readonly sql: SqlStorage) {}

  held(): HeldInventory {
    const r = this.sql.exec<Row>('SELECT hash, collected_at, updated_at, os, hardware, row_dirty FROM inventory WHERE id = 1').one();
    return {
      hash: (r.hash as string | null) ?? null,
      collectedAt: (r.collected_at as number | null) ?? null,
      updatedAt: (r.updated_at as number | null) ?? null,
      os: r.os ? (JSON.parse(r.os as string) as OsInventory) : null,
      hardware: r.hardware ? (JSON.parse(r.hardware as string) as HardwareInventory) : null,
      rowDirty: r.row_dirty as number,
    };
  }

  heldHash(): string | null {
    return (this.sql.exec<{ hash: string | null }>('SELECT hash FROM inventory WHERE id = 1').one().hash as string | null) ?? null;
  }

  status(): InventoryStatus {
    const r = this.sql.exec<Row>('SELECT hash, updated_at, d1_rows_written, rejected_count, rejected_at, rejected_reason FROM inventory WHERE id = 1').one();
    return {
      hash: (r.hash as string | null) ?? null,
      updatedAt: (r.updated_at as number | null) ?? null,
      d1RowsWritten: r.d1_rows_written as number,
      rejected: { count: r.rejected_count as number, lastAt: (r.rejected_at as number | null) ?? null, lastReason: (r.rejected_reason as string | null) ?? null },
    };
  }

  countRejection(reason: string, now: number): void {
    this.sql.exec('UPDATE inventory SET rejected_count = rejected_count + 1, rejected_at = ?, rejected_reason = ? WHERE id = 1', now, reason);
  }

  items(): Map<string, HeldItem> {
    const out = new Map<string, HeldItem>();
    for (const r of this.sql.exec<{ key: string; item: string }>('SELECT key, item FROM inventory_items')) {
      out.set(r.key, { item: JSON.parse(r.item) as SoftwareItem, json: r.item });
    }
    return out;
  }

  itemCount(): number {
    return this.sql.exec<{ n: number }>('SELECT count(*) AS n FROM inventory_items').one().n;
  }

  /** Keeps one snapshot's parts: a part of another hash means the staged one will never complete. */
  stage(part: StagedPart): number {
    this.sql.exec('DELETE FROM inventory_stage WHERE hash != ?', part.hash);
    this.sql.exec('INSERT OR REPLACE INTO inventory_stage (hash, part, frame) VALUES (?, ?, ?)', part.hash, part.part, JSON.stringify(part));
    return this.sql.exec<{ n: number }>('SELECT count(*) AS n FROM inventory_stage WHERE hash = ?', part.hash).one().n;
  }

  staged(hash: string): StagedPart[] {
    return this.sql
      .exec<{ frame: string }>('SELECT frame FROM inventory_stage WHERE hash = ? ORDER BY part', hash)
      .toArray()
      .map((r) => JSON.parse(r.frame) as StagedPart);
  }

  dropStage(hash: string): void {
    this.sql.exec('DELETE FROM inventory_stage WHERE hash = ?', hash);
  }

  /** Replaces the held state and queues its D1 writes; call inside a transaction. */
  commit(a: Applied, now: number): void {
    const gen = this.nextGen(now);
    // Whole lists as one JSON parameter each: a first snapshot is ~1,500 rows, and one
    // statement per list keeps the hub's thread out of per-row calls.
    const json = (list: unknown[]) => JSON.stringify(list);
    if (a.removed.length) this.sql.exec('DELETE FROM inventory_items WHERE key IN (SELECT value FROM json_each(?))', json(a.removed));
    if (a.upserts.size) {
      this.sql.exec(
        `INSERT OR REPLACE INTO inventory_items (key, item) SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?)`,
        json([...a.upserts].map(([key, h]) => [key, h.json])),
      );
    }
    if (a.dirty.length) {
      this.sql.exec(
        'INSERT INTO inventory_dirty (key, gen, at) SELECT value, ?, ? FROM json_each(?) WHERE true ON CONFLICT(key) DO UPDATE SET gen = excluded.gen',
        gen,
        now,
        json(a.dirty),
      );
    }
    if (a.changes.length) {
      this.sql.exec(
        `INSERT OR IGNORE INTO inventory_changes_out (id, row) SELECT json_extract(value, '$.id'), value FROM json_each(?)`,
        json(a.changes),
      );
    }
    this.sql.exec(
      'UPDATE inventory SET hash = ?, collected_at = ?, updated_at = ?, os = ?, hardware = ?, row_dirty = ? WHERE id = 1',
      a.hash,
      a.collectedAt,
      now,
      JSON.stringify(a.os),
      JSON.stringify(a.hardware),
      gen,
    );
    this.sql.exec('DELETE FROM inventory_stage');
  }

  // ---- what D1 lacks ----

  pendingRows(limit: number): DirtyRow[] {
    return this.sql
      .exec<{ key: string; gen: number; at: number; item: string | null }>(
        'SELECT d.key, d.gen, d.at, i.item FROM inventory_dirty d LEFT JOIN inventory_items i ON i.key = d.key ORDER BY d.key LIMIT ?',
        limit,
      )
      .toArray()
      .map((r) => ({ key: r.key, gen: r.gen, at: r.at, item: r.item === null ? null : (JSON.parse(r.item) as SoftwareItem) }));
  }

  pendingChanges(limit: number): StoredChange[] {
    return this.sql
      .exec<{ row: string }>('SELECT row FROM inventory_changes_out ORDER BY id LIMIT ?', limit)
      .toArray()
      .map((r) => JSON.parse(r.row) as StoredChange);
  }

  /* Only the generation that was written is cleared: an apply during the write re-dirtied the rest. */
  written(rows: DirtyRow[], changes: StoredChange[], rowGen: number, d1Rows: number): void {
    this.sql.exec('UPDATE inventory SET d1_rows_written = d1_rows_written + ? WHERE id = 1', d1Rows);
    if (rows.length) {
      this.sql.exec(
        `DELETE FROM inventory_dirty WHERE (key, gen) IN (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?))`,
        JSON.stringify(rows.map((r) => [r.key, r.gen])),
      );
    }
    if (changes.length) this.sql.exec('DELETE FROM inventory_changes_out WHERE id IN (SELECT value FROM json_each(?))', JSON.stringify(changes.map((c) => c.id)));
    if (rowGen) this.sql.exec('UPDATE inventory SET row_dirty = 0 WHERE id = 1 AND row_dirty = ?', rowGen);
  }

  /** Strictly increasing per apply, across restarts. */
  private nextGen(now: number): number {
    const r = this.sql
      .exec<{ g: number | null }>('SELECT max((SELECT row_dirty FROM inventory WHERE id = 1), coalesce((SELECT max(gen) FROM inventory_dirty), 0)) AS g')
      .one();
    return Math.max(now, (r.g ?? 0) + 1);
  }
}
