import * as v from 'valibot';
import { readFileSync } from 'node:fs';
import { HardwareInventory, inventoryHash, InventoryHash, OsInventory, SoftwareItem } from '../../../protocol/inventory';
import { writeFileAtomic } from '../fs-atomic';
import { describeError, log } from '../log';
import { sha256Hex, type NamedSnapshot } from './snapshot';

/*
 * What the agent remembers between runs about inventory: the snapshot the hub acknowledged
 * (the base of the next diff) and the one in flight with the fids still carrying it. Kept in
 * the state directory, replaced atomically; a damaged or edited file is treated as absent,
 * which costs one full snapshot and nothing else.
 */

const Named = v.object({
  hash: InventoryHash,
  snapshot: v.object({ os: OsInventory, hardware: HardwareInventory, software: v.array(SoftwareItem) }),
});

const Saved = v.object({
  acked: v.nullable(Named),
  inflight: v.nullable(v.object({ ...Named.entries, base: v.nullable(InventoryHash), fids: v.array(v.number()) })),
});

export type InventoryState = v.InferOutput<typeof Saved>;
export type InFlight = NonNullable<InventoryState['inflight']>;

const EMPTY: InventoryState = { acked: null, inflight: null };

/** A saved snapshot counts only if it still hashes to its name. */
async function intact(named: NamedSnapshot | null): Promise<boolean> {
  return !!named && (await inventoryHash(named.snapshot, sha256Hex)) === named.hash;
}

export async function loadInventoryState(path: string): Promise<InventoryState> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') log.warn(`inventory state unreadable (${describeError(err)}): the next snapshot is sent in full`);
    return EMPTY;
  }
  const parsed = v.safeParse(Saved, raw);
  if (!parsed.success) {
    log.warn('inventory state is damaged: the next snapshot is sent in full');
    return EMPTY;
  }
  const { acked, inflight } = parsed.output;
  return { acked: (await intact(acked)) ? acked : null, inflight: (await intact(inflight)) ? inflight : null };
}

export function saveInventoryState(path: string, state: InventoryState): void {
  try {
    writeFileAtomic(path, JSON.stringify(state) + '\n', 0o600);
  } catch (err) {
    log.warn(`cannot save the inventory state: ${describeError(err)}`);
  }
}
