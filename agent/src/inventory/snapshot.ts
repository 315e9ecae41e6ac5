import { createHash } from 'node:crypto';
import type { InventoryFrame } from '../../../protocol/agent-frames';
import {
  canonicalJson,
  inventoryHash,
  MAX_INVENTORY_ITEMS_PER_FRAME,
  MAX_INVENTORY_PARTS,
  MAX_SOFTWARE_ITEMS,
  softwareKey,
  type InventorySnapshot,
  type SoftwareItem,
} from '../../../protocol/inventory';
import { FRAME_BUDGET_BYTES, frameBytes } from '../frame-guard';
import { stableList } from '../parsers/hardware-values';
import { collectHardware } from './hardware';
import { osFromSi, readOsInfo } from './os';
import { collectSoftware } from './software';

/** A snapshot and its name, as the hub acknowledged it (or as it is about to be sent). */
export interface NamedSnapshot {
  hash: string;
  snapshot: InventorySnapshot;
}

/** An inventory frame before the outbox numbers it. */
export type InventoryPart = Omit<InventoryFrame, 'fid'>;

export const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

/** Everything this machine reports, software in key order (a longer list than the cap loses its tail). */
export async function collectSnapshot(platform: NodeJS.Platform = process.platform): Promise<NamedSnapshot> {
  const [{ hardware, facts }, software, osInfo] = await Promise.all([collectHardware(platform), collectSoftware(platform).catch(() => []), readOsInfo()]);
  const os = osFromSi(osInfo, platform, facts.osInstalledAt);
  const snapshot: InventorySnapshot = { os, hardware, software: stableList(software, softwareKey, MAX_SOFTWARE_ITEMS) };
  return { hash: await inventoryHash(snapshot, sha256Hex), snapshot };
}

/** What changed since `base`: items new or different, keys gone, and os / hardware when they moved. */
export interface InventoryDiff {
  os?: InventorySnapshot['os'];
  hardware?: InventorySnapshot['hardware'];
  upsert: SoftwareItem[];
  remove: string[];
}

export function diffSnapshots(base: InventorySnapshot | null, next: InventorySnapshot): InventoryDiff {
  if (!base) return { os: next.os, hardware: next.hardware, upsert: next.software, remove: [] };
  const before = new Map(base.software.map((i) => [softwareKey(i), canonicalJson(i)]));
  const now = new Set<string>();
  const upsert: SoftwareItem[] = [];
  for (const item of next.software) {
    const key = softwareKey(item);
    now.add(key);
    if (before.get(key) !== canonicalJson(item)) upsert.push(item);
  }
  const remove = [...before.keys()].filter((k) => !now.has(k));
  return {
    ...(canonicalJson(base.os) !== canonicalJson(next.os) ? { os: next.os } : {}),
    ...(canonicalJson(base.hardware) !== canonicalJson(next.hardware) ? { hardware: next.hardware } : {}),
    upsert,
    remove,
  };
}

type Op = { upsert: SoftwareItem } | { remove: string };

/**
 * The frames that carry `next` to a hub holding `base` (null: a full snapshot): none when
 * nothing changed. Each part holds at most MAX_INVENTORY_ITEMS_PER_FRAME items (upserts and
 * removals together) and fits the frame size budget; os and hardware ride in part 0.
 * Throws when the snapshot would need more parts than the protocol allows.
 */
export function inventoryParts(next: NamedSnapshot, base: NamedSnapshot | null, collectedAt: number): InventoryPart[] {
  if (base && base.hash === next.hash) return [];
  const diff = diffSnapshots(base?.snapshot ?? null, next.snapshot);
  const head = { t: 'inv' as const, fid: 1, hash: next.hash, base: base?.hash ?? null, part: 0, parts: 1, collectedAt };
  const ops: Op[] = [...diff.upsert.map((upsert) => ({ upsert })), ...diff.remove.map((remove) => ({ remove }))];

  const groups: Op[][] = [[]];
  let bytes = frameBytes({ ...head, os: diff.os, hardware: diff.hardware, upsert: [], remove: [] });
  for (const op of ops) {
    const size = Buffer.byteLength(JSON.stringify('upsert' in op ? op.upsert : op.remove)) + 1;
    const current = groups[groups.length - 1];
    if (current.length >= MAX_INVENTORY_ITEMS_PER_FRAME || (current.length > 0 && bytes + size > FRAME_BUDGET_BYTES)) {
      groups.push([op]);
      bytes = frameBytes({ ...head, upsert: [], remove: [] }) + size;
    } else {
      current.push(op);
      bytes += size;
    }
  }
  if (groups.length > MAX_INVENTORY_PARTS) throw new Error(`inventory needs ${groups.length} frames (at most ${MAX_INVENTORY_PARTS})`);

  return groups.map((group, part) => {
    const { fid: _, ...meta } = head;
    return {
      ...meta,
      part,
      parts: groups.length,
      ...(part === 0 && diff.os ? { os: diff.os } : {}),
      ...(part === 0 && diff.hardware ? { hardware: diff.hardware } : {}),
      upsert: group.flatMap((op) => ('upsert' in op ? [op.upsert] : [])),
      remove: group.flatMap((op) => ('remove' in op ? [op.remove] : [])),
    };
  });
}
