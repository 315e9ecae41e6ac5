import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { InventoryFrame } from '../../protocol/agent-frames';
import { inventoryHash, MAX_INVENTORY_ITEMS_PER_FRAME, softwareKey, type InventorySnapshot, type SoftwareItem } from '../../protocol/inventory';
import { frameBytes, FRAME_BUDGET_BYTES } from '../src/frame-guard';
import { collectSnapshot, diffSnapshots, inventoryParts, sha256Hex, type InventoryPart, type NamedSnapshot } from '../src/inventory/snapshot';
import { hardwareFromSi } from '../src/parsers/hardware-si';

const item = (i: number, over: Partial<SoftwareItem> = {}): SoftwareItem => ({
  name: `pkg-${String(i).padStart(5, '0')}`,
  version: `1.${i}.0`,
  publisher: 'Example Maintainers <pkg@example.org>',
  installedAt: Date.UTC(2024, 0, 1) + i * 1000,
  sizeBytes: 1024 * i,
  source: 'dpkg',
  arch: 'amd64',
  ...over,
});

const os: InventorySnapshot['os'] = { platform: 'linux', name: 'Debian GNU/Linux', version: '12', build: 'bookworm', kernel: '6.1.0-18-amd64', arch: 'x64', installedAt: null };
const hardware = hardwareFromSi({ cpu: { manufacturer: 'AMD', brand: 'EPYC 7B13', cores: 4, physicalCores: 2 } }, 'linux', { tpm: null, secureBoot: false });

async function named(software: SoftwareItem[], over: Partial<InventorySnapshot> = {}): Promise<NamedSnapshot> {
  const snapshot = { os, hardware, software, ...over };
  return { hash: await inventoryHash(snapshot, sha256Hex), snapshot };
}

const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => item(from + i));
const upserts = (parts: InventoryPart[]) => parts.flatMap((p) => p.upsert);
const removes = (parts: InventoryPart[]) => parts.flatMap((p) => p.remove);
/** Every part as the hub would receive it: each must pass the protocol schema and the size budget. */
const valid = (parts: InventoryPart[]) =>
  parts.every((p, i) => v.is(InventoryFrame, { ...p, fid: i + 1 }) && frameBytes({ ...p, fid: 1e9 }) <= FRAME_BUDGET_BYTES);

describe('inventory snapshot on this machine', () => {
  it('lists the installed packages and hashes the same twice in a row', async () => {
    const first = await collectSnapshot();
    const second = await collectSnapshot();
    expect(first.snapshot.software.length).toBeGreaterThan(100);
    expect(second.hash).toBe(first.hash);
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
    const keys = first.snapshot.software.map(softwareKey);
    expect(keys).toEqual([...keys].sort());

    const parts = inventoryParts(first, null, Date.now());
    expect(valid(parts)).toBe(true);
    expect(parts).toHaveLength(Math.ceil(first.snapshot.software.length / MAX_INVENTORY_ITEMS_PER_FRAME));
    expect(inventoryParts(second, first, Date.now())).toEqual([]);
  });
});

describe('inventory diff and parts', () => {
  it('sends nothing for an identical snapshot', async () => {
    const a = await named(range(50));
    const b = await named(range(50));
    expect(b.hash).toBe(a.hash);
    expect(inventoryParts(b, a, 1)).toEqual([]);
  });

  it('sends a full snapshot of 1,000 items as 3 parts, os and hardware in part 0 only', async () => {
    const full = await named(range(1000));
    const parts = inventoryParts(full, null, 123);
    expect(parts.map((p) => [p.part, p.parts, p.upsert.length, p.remove.length, p.base, p.hash])).toEqual([
      [0, 3, 400, 0, null, full.hash],
      [1, 3, 400, 0, null, full.hash],
      [2, 3, 200, 0, null, full.hash],
    ]);
    expect(parts[0]).toMatchObject({ os, hardware, collectedAt: 123 });
    expect(parts.slice(1).some((p) => 'os' in p || 'hardware' in p)).toBe(false);
    expect(upserts(parts).map(softwareKey)).toEqual(full.snapshot.software.map(softwareKey));
    expect(valid(parts)).toBe(true);
  });

  it('carries exactly the 1 % of items that changed, against the acknowledged hash', async () => {
    const base = await named(range(1000));
    const software = range(1000);
    software[10] = item(10, { version: '2.10.0' }); // upgraded: same key, new version
    software[20] = item(20, { sizeBytes: 1 }); // rebuilt in place
    software.splice(500, 3); // removed
    software.push(...range(5, 5000)); // installed
    const next = await named(software);

    const parts = inventoryParts(next, base, 1);
    expect(parts).toHaveLength(1);
    expect(parts[0]).toMatchObject({ base: base.hash, hash: next.hash, part: 0, parts: 1 });
    expect('os' in parts[0] || 'hardware' in parts[0]).toBe(false);
    expect(upserts(parts).map((i) => `${i.name}@${i.version}`)).toEqual([
      'pkg-00010@2.10.0',
      'pkg-00020@1.20.0',
      ...range(5, 5000).map((i) => `${i.name}@${i.version}`),
    ]);
    expect(removes(parts)).toEqual(['dpkg:pkg-00500:amd64', 'dpkg:pkg-00501:amd64', 'dpkg:pkg-00502:amd64']);
    expect(valid(parts)).toBe(true);
  });

  it('counts upserts and removals together per part', async () => {
    const base = await named(range(600));
    const next = await named([...range(300, 300), ...range(300, 600)]); // 300 removed, 300 added
    const parts = inventoryParts(next, base, 1);
    expect(parts.map((p) => p.upsert.length + p.remove.length)).toEqual([400, 200]);
    expect(upserts(parts)).toHaveLength(300);
    expect(removes(parts)).toHaveLength(300);
    expect(valid(parts)).toBe(true);
  });

  it('sends a hardware change alone as one part with the hardware and nothing else', async () => {
    const base = await named(range(900));
    const changedHw = { ...hardware, memory: { ...hardware.memory, totalBytes: 32 * 1024 ** 3 } };
    const next = await named(range(900), { hardware: changedHw });
    const parts = inventoryParts(next, base, 1);
    expect(parts).toHaveLength(1);
    expect(parts[0].hardware).toEqual(changedHw);
    expect(parts[0].os).toBeUndefined();
    expect(parts[0].upsert).toEqual([]);
    expect(parts[0].remove).toEqual([]);

    expect(diffSnapshots(base.snapshot, (await named(range(900), { os: { ...os, version: '13' } })).snapshot)).toEqual({ os: { ...os, version: '13' }, upsert: [], remove: [] });
  });

  it('splits by size when items are large, keeping every frame under the budget', async () => {
    const big = range(400).map((i) => ({ ...i, name: `${'名'.repeat(240)}${i.name}`.slice(-255), publisher: 'ü'.repeat(255), version: '9'.repeat(128) }));
    const full = await named(big);
    const parts = inventoryParts(full, null, 1);
    expect(parts.length).toBeGreaterThan(1);
    expect(upserts(parts)).toHaveLength(400);
    expect(valid(parts)).toBe(true);
  });
});
