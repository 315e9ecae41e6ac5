import * as v from 'valibot';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentFrame, InventoryFrame } from '../../protocol/agent-frames';
import { CollectInventoryResult } from '../../protocol/command';
import { inventoryHash, MAX_INVENTORY_ITEMS_PER_FRAME, softwareKey, type InventorySnapshot, type SoftwareItem } from '../../protocol/inventory';
import { sha256Hex } from '../src/inventory/snapshot';
import { stopAgent } from './helpers/agent-process';
import { enrolledRig, type Rig } from './helpers/enrolled';
import type { FakeHub } from './helpers/fake-hub';
import { result } from './helpers/results';

let rig: Rig | null = null;
afterEach(async () => {
  await rig?.dispose();
  rig = null;
});

const isInv = (f: AgentFrame): f is InventoryFrame => f.t === 'inv';
const invSince = (hub: FakeHub, from: number) => hub.frames.slice(from).filter(isInv);

/** Waits until every part of one snapshot (the first part 0 after `from` that matches) has arrived. */
async function snapshotFrames(hub: FakeHub, from: number, match: (f: InventoryFrame) => boolean = () => true, timeoutMs = 30_000): Promise<InventoryFrame[]> {
  const first = (await hub.waitFor((f) => isInv(f) && f.part === 0 && hub.frames.indexOf(f) >= from && match(f), timeoutMs)) as InventoryFrame;
  const mine = () => invSince(hub, from).filter((f) => f.hash === first.hash && f.base === first.base && f.fid >= first.fid);
  await hub.waitFor(() => new Set(mine().map((f) => f.part)).size === first.parts, timeoutMs);
  return [...new Map(mine().map((f) => [f.part, f])).values()].sort((a, b) => a.part - b.part);
}

/** The snapshot a hub rebuilds from a full snapshot's parts. */
function assemble(parts: InventoryFrame[]): InventorySnapshot {
  return { os: parts[0].os!, hardware: parts[0].hardware!, software: parts.flatMap((p) => p.upsert) };
}

const statePath = (r: Rig) => join(r.state, 'inventory.json');
const readState = (r: Rig) => {
  try {
    return JSON.parse(readFileSync(statePath(r), 'utf8')) as { acked: { hash: string; snapshot: InventorySnapshot } | null; inflight: unknown };
  } catch {
    return null;
  }
};
async function acknowledged(r: Rig, hash: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (readState(r)?.acked?.hash !== hash) {
    if (Date.now() > end) throw new Error(`inventory ${hash} was not recorded as acknowledged: ${JSON.stringify(readState(r)?.acked?.hash)}`);
    await new Promise((res) => setTimeout(res, 50));
  }
}

/** Runs collect_inventory and returns its result (the command's stdout is that JSON). */
async function collectInventory(hub: FakeHub): Promise<CollectInventoryResult> {
  const cmd = hub.command({ type: 'collect_inventory', params: {} });
  hub.sendCommand(cmd.signed);
  const r = await result(hub, cmd.id, 30_000);
  expect(r.done.status).toBe('succeeded');
  return v.parse(CollectInventoryResult, JSON.parse(r.stdout));
}

describe('inventory sender against a hub', () => {
  it('sends a full snapshot in parts after connecting, and nothing once the hub holds it', { timeout: 90_000 }, async () => {
    rig = await enrolledRig();
    await rig.connect();
    const parts = await snapshotFrames(rig.hub, 0);

    expect(parts[0].base).toBeNull();
    expect(parts.length).toBe(Math.ceil(parts.reduce((n, p) => n + p.upsert.length, 0) / MAX_INVENTORY_ITEMS_PER_FRAME));
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.slice(1).every((p) => p.os === undefined && p.hardware === undefined && p.remove.length === 0)).toBe(true);
    // What the hub rebuilds from the parts hashes to the name the agent gave it.
    const snapshot = assemble(parts);
    expect(snapshot.software.length).toBeGreaterThan(100);
    expect(await inventoryHash(snapshot, sha256Hex)).toBe(parts[0].hash);
    await acknowledged(rig, parts[0].hash);

    const from = rig.hub.frames.length;
    expect(await collectInventory(rig.hub)).toEqual({ hash: parts[0].hash, changed: false, software: snapshot.software.length, parts: 0 });
    expect(invSince(rig.hub, from)).toEqual([]);
  });

  it('sends a full snapshot again when the hub asks for a resync', { timeout: 90_000 }, async () => {
    rig = await enrolledRig();
    await rig.connect();
    const first = await collectInventory(rig.hub);
    expect(first).toMatchObject({ changed: true });
    expect(first.parts).toBeGreaterThan(1);
    await acknowledged(rig, first.hash);

    const from = rig.hub.frames.length;
    rig.hub.send({ t: 'inv_resync', hash: null });
    const again = await snapshotFrames(rig.hub, from);
    expect(again.map((p) => [p.hash, p.base, p.parts])).toEqual(again.map(() => [first.hash, null, first.parts]));
    expect(again[0].os).toBeDefined();
    expect(again[0].hardware).toBeDefined();
    await acknowledged(rig, first.hash);
  });

  it('resends unacknowledged parts after a reconnect, and diffs against the acknowledged snapshot after a restart', { timeout: 120_000 }, async () => {
    rig = await enrolledRig({ autoAck: false });
    await rig.connect();
    const from = rig.hub.frames.length;
    const queued = await collectInventory(rig.hub);
    const sent = await snapshotFrames(rig.hub, from, (f) => f.hash === queued.hash);
    expect(sent).toHaveLength(queued.parts);
    expect(readState(rig)?.acked).toBeNull();

    // The hub restarts without having acknowledged anything: the same frames come again.
    const hub = await rig.restartHub({ autoAck: true });
    const resent = await snapshotFrames(hub, 0, (f) => f.hash === queued.hash);
    expect(resent).toEqual(sent);
    await acknowledged(rig, queued.hash);

    // While the agent is stopped, the acknowledged snapshot is made to differ from this machine
    // in three items (as if the machine changed since): its next collection must send exactly those.
    await stopAgent(rig.agent, 'SIGTERM');
    const state = readState(rig)!;
    const software = state.acked!.snapshot.software;
    const [gone1, gone2] = [software[3], software[7]];
    const upgraded = software[11];
    const removed: SoftwareItem = { ...software[0], name: 'tether-test-removed-package' };
    const older: InventorySnapshot = {
      ...state.acked!.snapshot,
      software: [...software.filter((i) => i !== gone1 && i !== gone2 && i !== upgraded), { ...upgraded, version: '0.0.1-old' }, removed],
    };
    const olderHash = await inventoryHash(older, sha256Hex);
    writeFileSync(statePath(rig), JSON.stringify({ acked: { hash: olderHash, snapshot: older }, inflight: null }));

    const before = hub.frames.length;
    await rig.connect();
    const diff = await collectInventory(hub);
    expect(diff).toMatchObject({ hash: queued.hash, changed: true, parts: 1 });
    const [part] = await snapshotFrames(hub, before, (f) => f.base === olderHash);
    expect(part).toMatchObject({ hash: queued.hash, base: olderHash, part: 0, parts: 1 });
    expect(part.os).toBeUndefined();
    expect(part.hardware).toBeUndefined();
    expect(part.upsert.map(softwareKey).sort()).toEqual([gone1, gone2, upgraded].map(softwareKey).sort());
    expect(part.upsert.find((i) => softwareKey(i) === softwareKey(upgraded))?.version).toBe(upgraded.version);
    expect(part.remove).toEqual([softwareKey(removed)]);
    await acknowledged(rig, queued.hash);
  });

  it('forgets a snapshot the hub refuses: it never becomes the base of a diff', { timeout: 90_000 }, async () => {
    rig = await enrolledRig({ autoAck: false });
    await rig.connect();
    const from = rig.hub.frames.length;
    const queued = await collectInventory(rig.hub);
    const sent = await snapshotFrames(rig.hub, from, (f) => f.hash === queued.hash);

    rig.hub.send({ t: 'inv_reject', fid: sent[0].fid, reason: 'too many items' });
    await rig.agent!.logged('too many items');
    rig.hub.send({ t: 'ack', fids: rig.hub.frames.flatMap((f) => ('fid' in f ? [f.fid] : [])) });
    const end = Date.now() + 5_000;
    while (readState(rig)?.inflight !== null && Date.now() < end) await new Promise((res) => setTimeout(res, 50));
    expect(readState(rig)).toEqual({ acked: null, inflight: null });
  });
});
