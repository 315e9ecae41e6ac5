import { env, evictDurableObject, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { and, eq } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as schema from '../db/inventory-schema';
import type { InventoryFrame } from '../protocol/agent-frames';
import {
  canonicalJson,
  inventoryHash,
  MAX_INVENTORY_ITEMS_PER_FRAME,
  softwareKey,
  versionKey,
  type HardwareInventory,
  type InventorySnapshot,
  type OsInventory,
  type SoftwareItem,
} from '../protocol/inventory';
import { MAX_FRAME_BYTES } from '../protocol/limits';
import { sha256Hex } from '../worker/lib/crypto';
import { db, hb, hello, seedDevice, seedTenant } from './testing/fixtures';
import { alertRows, compiled } from './testing/monitoring';
import { connectAgent, deviceHub, eventually, type TestSocket } from './testing/sockets';

const open: TestSocket[] = [];
const track = <T extends TestSocket>(s: T) => (open.push(s), s);
afterEach(() => {
  vi.useRealTimers();
  for (const s of open.splice(0)) s.close();
});

// ---- snapshots and frames, built the way the agent builds them ----

const OS: OsInventory = { platform: 'linux', name: 'Debian GNU/Linux', version: '12', build: 'bookworm', kernel: '6.1.0-18-amd64', arch: 'x64', installedAt: null };

function hardware(over: { ramBytes?: number } = {}): HardwareInventory {
  return {
    system: { manufacturer: 'Dell Inc.', model: 'OptiPlex 7090', serial: 'ABC1234', uuid: null, sku: null, chassis: 'desktop' },
    bios: { vendor: 'Dell Inc.', version: '1.14.0', releaseDate: '2023-05-10' },
    baseboard: { manufacturer: 'Dell Inc.', model: '0K6CP', serial: null, version: null },
    cpu: { manufacturer: 'Intel', model: 'Core i7-11700', cores: 8, threads: 16, speedMHz: 2500, sockets: 1 },
    memory: { totalBytes: over.ramBytes ?? 16e9, modules: [] },
    disks: [
      { device: '/dev/nvme0n1', model: 'PM9A1', serial: 'S1', sizeBytes: 512e9, type: 'SSD', interface: 'NVMe', smart: 'Ok' },
      { device: '/dev/sda', model: 'WD Blue', serial: 'S2', sizeBytes: 1e12, type: 'HDD', interface: 'SATA', smart: 'Ok' },
    ],
    volumes: [{ mount: '/', fs: 'ext4', sizeBytes: 500e9, usedBytes: 100e9, label: null }],
    gpus: [],
    displays: [],
    nics: [],
    usb: [],
    battery: null,
    tpm: null,
    secureBoot: true,
  };
}

const pkg = (name: string, version = '1.0.0'): SoftwareItem => ({
  name,
  version,
  publisher: 'Debian',
  installedAt: null,
  sizeBytes: 1024,
  source: 'dpkg',
  arch: 'amd64',
});

const snapshot = (software: SoftwareItem[], hw = hardware()): InventorySnapshot => ({ os: OS, hardware: hw, software });

const hashOf = (s: InventorySnapshot) => inventoryHash(s, sha256Hex);

let nextFid = 1;
type Frame = InventoryFrame;

/** A full snapshot (base null) or a diff against `base`, in parts of at most 400 items. */
async function framesFor(next: InventorySnapshot, base: InventorySnapshot | null, opts: { hash?: string } = {}): Promise<Frame[]> {
  const hash = opts.hash ?? (await hashOf(next));
  const baseHash = base ? await hashOf(base) : null;
  let upsert: SoftwareItem[] = next.software;
  let remove: string[] = [];
  if (base) {
    const before = new Map(base.software.map((i) => [softwareKey(i), canonicalJson(i)]));
    const now = new Set(next.software.map(softwareKey));
    upsert = next.software.filter((i) => before.get(softwareKey(i)) !== canonicalJson(i));
    remove = [...before.keys()].filter((k) => !now.has(k));
  }
  const entries: ({ up: SoftwareItem } | { rm: string })[] = [...upsert.map((up) => ({ up })), ...remove.map((rm) => ({ rm }))];
  const parts = Math.max(1, Math.ceil(entries.length / MAX_INVENTORY_ITEMS_PER_FRAME));
  const hwChanged = !base || canonicalJson(base.hardware) !== canonicalJson(next.hardware);
  const osChanged = !base || canonicalJson(base.os) !== canonicalJson(next.os);
  return Array.from({ length: parts }, (_, part) => {
    const slice = entries.slice(part * MAX_INVENTORY_ITEMS_PER_FRAME, (part + 1) * MAX_INVENTORY_ITEMS_PER_FRAME);
    return {
      t: 'inv',
      fid: nextFid++,
      hash,
      base: baseHash,
      part,
      parts,
      collectedAt: Date.now(),
      ...(part === 0 && osChanged ? { os: next.os } : {}),
      ...(part === 0 && hwChanged ? { hardware: next.hardware } : {}),
      upsert: slice.flatMap((e) => ('up' in e ? [e.up] : [])),
      remove: slice.flatMap((e) => ('rm' in e ? [e.rm] : [])),
    };
  });
}

/** Sends the frames and waits for each to be acknowledged. */
async function sendAll(agent: TestSocket, frames: Frame[]): Promise<void> {
  for (const f of frames) {
    agent.send(f);
    await agent.next((x) => x.t === 'ack' && (x.fids as number[]).includes(f.fid));
  }
}

// ---- D1 as the API will read it ----

const softwareRows = (deviceId: string) =>
  db().select().from(schema.deviceSoftware).where(eq(schema.deviceSoftware.deviceId, deviceId)).orderBy(schema.deviceSoftware.key).all();
const changeRows = (deviceId: string) => db().select().from(schema.deviceChanges).where(eq(schema.deviceChanges.deviceId, deviceId)).orderBy(schema.deviceChanges.kind).all();
const inventoryRow = (deviceId: string) => db().select().from(schema.deviceInventory).where(eq(schema.deviceInventory.deviceId, deviceId)).get();
const pending = (deviceId: string) =>
  runInDurableObject(deviceHub(deviceId), (_o, state) =>
    state.storage.sql
      .exec<{ n: number }>('SELECT (SELECT count(*) FROM inventory_dirty) + (SELECT count(*) FROM inventory_changes_out) + (SELECT row_dirty FROM inventory) AS n')
      .one().n,
  );

async function online() {
  const fleet = await seedTenant();
  const device = await seedDevice(fleet);
  const agent = track(await connectAgent(device));
  await agent.next('welcome');
  agent.send(hello({ hostname: 'web-01' }));
  return { fleet, device, agent, hub: deviceHub(device.deviceId) };
}

const packages = (n: number) => Array.from({ length: n }, (_, i) => pkg(`pkg-${String(i).padStart(4, '0')}`));

/** A device holding a 900-item snapshot (3 parts), applied. */
async function withBaseline() {
  const o = await online();
  const base = snapshot(packages(900));
  const frames = await framesFor(base, null);
  await sendAll(o.agent, frames);
  const hash = await hashOf(base);
  await eventually(async () => expect((await inventoryRow(o.device.deviceId))?.hash).toBe(hash));
  return { ...o, base, hash, frames };
}

describe('DeviceHub inventory', () => {
  it('applies a full snapshot sent in 3 parts: D1 holds exactly its items, and no change rows', async () => {
    const { device, hub, base, hash, frames } = await withBaseline();
    expect(frames).toHaveLength(3);
    const rows = await softwareRows(device.deviceId);
    expect(rows).toHaveLength(900);
    const byKey = new Map(rows.map((r) => [r.key, r]));
    for (const item of base.software) {
      expect(byKey.get(softwareKey(item))).toMatchObject({
        tenantId: device.tenantId,
        name: item.name,
        nameNorm: item.name.toLowerCase(),
        version: item.version,
        versionKey: versionKey(item.version),
        source: 'dpkg',
        arch: 'amd64',
      });
    }
    expect(await changeRows(device.deviceId)).toEqual([]);
    expect(await inventoryRow(device.deviceId)).toMatchObject({
      tenantId: device.tenantId,
      hash,
      ramBytes: 16e9,
      diskBytes: 1.512e12,
      osName: 'Debian GNU/Linux',
      osVersion: '12',
      osVersionKey: versionKey('12'),
      firmwareDate: '2023-05-10',
      cpuModel: 'Core i7-11700',
      serial: 'ABC1234',
      softwareCount: 900,
    });
    expect(await pending(device.deviceId)).toBe(0);
    expect(await hub.getInventoryStatus()).toMatchObject({ hash, rejected: { count: 0 } });
  });

  it('an unchanged snapshot sent again writes nothing to D1', async () => {
    const { device, agent, hub, base } = await withBaseline();
    const before = await inventoryRow(device.deviceId);
    const written = (await hub.getInventoryStatus()).d1RowsWritten;
    // 900 software rows and the device's row, as D1 itself counted them (indexes included).
    expect(written).toBeGreaterThanOrEqual(901);
    const resend = await framesFor(base, null);
    await sendAll(agent, resend);
    expect((await hub.getInventoryStatus()).d1RowsWritten).toBe(written);
    // Acked, nothing staged, nothing owed to D1, and the row not rewritten.
    expect(await pending(device.deviceId)).toBe(0);
    expect(await runInDurableObject(deviceHub(device.deviceId), (_o, st) => st.storage.sql.exec('SELECT count(*) AS n FROM inventory_stage').one().n)).toBe(0);
    expect((await inventoryRow(device.deviceId))?.updatedAt).toBe(before?.updatedAt);
    expect(await softwareRows(device.deviceId)).toHaveLength(900);
    expect(await changeRows(device.deviceId)).toEqual([]);
    expect(agent.all('inv_resync')).toEqual([]);
  });

  it('applies a diff as exactly its changes: 1 added, 1 removed, 1 upgraded, RAM changed', async () => {
    const { device, agent, base } = await withBaseline();
    const software = base.software.filter((i) => i.name !== 'pkg-0005').map((i) => (i.name === 'pkg-0007' ? { ...i, version: '1.1.0' } : i));
    const next = snapshot([...software, pkg('nginx', '1.24.0')], hardware({ ramBytes: 32e9 }));
    const frames = await framesFor(next, base);
    expect(frames).toHaveLength(1);
    await sendAll(agent, frames);
    const hash = await hashOf(next);
    await eventually(async () => expect((await inventoryRow(device.deviceId))?.hash).toBe(hash));

    const rows = await softwareRows(device.deviceId);
    expect(rows).toHaveLength(900);
    expect(rows.find((r) => r.name === 'pkg-0005')).toBeUndefined();
    expect(rows.find((r) => r.name === 'pkg-0007')).toMatchObject({ version: '1.1.0', versionKey: versionKey('1.1.0') });
    expect(rows.find((r) => r.name === 'nginx')).toMatchObject({ version: '1.24.0', nameNorm: 'nginx' });
    const changes = (await changeRows(device.deviceId)).map((c) => ({ kind: c.kind, subject: c.subject, source: c.source, fromValue: c.fromValue, toValue: c.toValue }));
    expect(changes).toEqual([
      { kind: 'hardware_changed', subject: 'memory.totalBytes', source: null, fromValue: '16 GB', toValue: '32 GB' },
      { kind: 'software_added', subject: 'nginx', source: 'dpkg', fromValue: null, toValue: '1.24.0' },
      { kind: 'software_removed', subject: 'pkg-0005', source: 'dpkg', fromValue: '1.0.0', toValue: null },
      { kind: 'software_updated', subject: 'pkg-0007', source: 'dpkg', fromValue: '1.0.0', toValue: '1.1.0' },
    ]);
    expect((await inventoryRow(device.deviceId))?.ramBytes).toBe(32e9);
  });

  it('answers a diff against a snapshot it does not hold with inv_resync', async () => {
    const { device, agent, base, hash } = await withBaseline();
    const elsewhere = snapshot([...base.software, pkg('other')]);
    const next = snapshot([...elsewhere.software, pkg('nginx', '1.24.0')]);
    const frames = await framesFor(next, elsewhere);
    agent.send(frames[0]);
    await agent.next((x) => x.t === 'ack' && (x.fids as number[]).includes(frames[0]!.fid));
    expect(await agent.next('inv_resync')).toEqual({ t: 'inv_resync', hash });
    expect((await inventoryRow(device.deviceId))?.hash).toBe(hash);
    expect(await softwareRows(device.deviceId)).toHaveLength(900);
  });

  it('refuses a diff whose result does not hash to its name, keeping the held state', async () => {
    const { device, agent, hub, base, hash } = await withBaseline();
    const next = snapshot([...base.software, pkg('nginx', '1.24.0')]);
    const wrong = await hashOf(snapshot([...base.software, pkg('nginx', '9.9.9')]));
    const frames = await framesFor(next, base, { hash: wrong });
    agent.send(frames[0]);
    expect(await agent.next('inv_resync')).toEqual({ t: 'inv_resync', hash });
    expect(await hub.getInventoryStatus()).toMatchObject({ hash, rejected: { count: 1, lastReason: 'diff did not add up' } });
    expect((await softwareRows(device.deviceId)).find((r) => r.name === 'nginx')).toBeUndefined();
    expect(await changeRows(device.deviceId)).toEqual([]);

    // The held state is intact: a correct diff against it still applies.
    await sendAll(agent, await framesFor(next, base));
    await eventually(async () => expect((await inventoryRow(device.deviceId))?.hash).toBe(await hashOf(next)));
    expect((await changeRows(device.deviceId)).map((c) => c.kind)).toEqual(['software_added']);
  });

  it('refuses malformed and oversized inventory frames by fid, keeping the socket and the last good inventory', async () => {
    const { device, agent, hub, hash } = await withBaseline();
    agent.send({ t: 'inv', fid: 9001, hash: 'not-a-hash', base: null, part: 0, parts: 1, collectedAt: 1, upsert: [], remove: [] });
    expect(await agent.next('inv_reject')).toMatchObject({ t: 'inv_reject', fid: 9001, reason: expect.stringContaining('hash') });
    expect(await agent.next('ack')).toEqual({ t: 'ack', fids: [9001] });

    const big = `{"t":"inv","fid":9002,"hash":"${'a'.repeat(64)}","pad":"${'x'.repeat(MAX_FRAME_BYTES)}"}`;
    agent.send(big);
    expect(await agent.next('inv_reject')).toMatchObject({ t: 'inv_reject', fid: 9002, reason: expect.stringContaining('larger than') });
    expect(await agent.next('ack')).toEqual({ t: 'ack', fids: [9002] });

    // Still connected and served; the held inventory untouched; both refusals counted.
    agent.send(hb(1));
    await agent.next('hb_ack');
    expect(agent.closeEvent).toBeNull();
    expect(await hub.getInventoryStatus()).toMatchObject({ hash, rejected: { count: 2, lastAt: expect.any(Number), lastReason: expect.stringContaining('larger than') } });
    expect((await inventoryRow(device.deviceId))?.hash).toBe(hash);
    expect(await softwareRows(device.deviceId)).toHaveLength(900);

    // Any other invalid frame still closes the socket, as before.
    agent.send({ t: 'events', fid: 9003, entries: 'nope' });
    expect((await agent.closed()).code).toBe(1008);
  });

  it('raises an inventory_change alert for matching new software, and clears it after the quiet window', async () => {
    const { device, agent, hub, base } = await withBaseline();
    await hub.setChecks(
      compiled([{ key: 'new-web', name: 'New web server', severity: 'warning', type: 'inventory_change', kinds: ['software_added'], pattern: '^NGINX$', clearAfterMinutes: 30 }]),
      device,
    );
    // A change of another kind or name does not match.
    const upgraded = snapshot(base.software.map((i) => (i.name === 'pkg-0001' ? { ...i, version: '2.0' } : i)));
    await sendAll(agent, await framesFor(upgraded, base));
    await eventually(async () => expect((await inventoryRow(device.deviceId))?.hash).toBe(await hashOf(upgraded)));
    expect((await hub.getCheckStates())['new-web']).toBeUndefined();

    const next = snapshot([...upgraded.software, pkg('nginx', '1.24.0')]);
    await sendAll(agent, await framesFor(next, upgraded));
    await eventually(async () => expect((await alertRows(device.deviceId))[0]).toMatchObject({ checkKey: 'new-web', status: 'open' }));
    expect((await alertRows(device.deviceId))[0]!.message).toBe('New software on web-01: nginx 1.24.0 (dpkg)');

    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 31 * 60_000);
    expect(await runDurableObjectAlarm(hub)).toBe(true);
    vi.useRealTimers();
    await eventually(async () => expect((await alertRows(device.deviceId))[0]).toMatchObject({ status: 'resolved', resolvedBy: 'auto' }));
  });

  it('keeps the applied state across a restart: the next diff applies against it', async () => {
    const { device, agent, hub, base, hash } = await withBaseline();
    await evictDurableObject(hub);
    expect(await hub.getInventoryStatus()).toMatchObject({ hash });
    const next = snapshot(base.software.filter((i) => i.name !== 'pkg-0100'));
    await sendAll(agent, await framesFor(next, base));
    await eventually(async () => expect((await inventoryRow(device.deviceId))?.hash).toBe(await hashOf(next)));
    expect(await softwareRows(device.deviceId)).toHaveLength(899);
    expect(agent.all('inv_resync')).toEqual([]);
  });

  it('a D1 failure leaves the write owed, and the alarm completes it once', async () => {
    const { device, agent, hub, base } = await withBaseline();
    const next = snapshot([...base.software, pkg('nginx', '1.24.0')]);
    await env.DB.exec('ALTER TABLE device_changes RENAME TO device_changes_offline');
    try {
      await sendAll(agent, await framesFor(next, base));
      await eventually(async () => expect(await hub.getInventoryStatus()).toMatchObject({ hash: await hashOf(next) }));
      await eventually(async () => expect(await pending(device.deviceId)).toBeGreaterThan(0));
    } finally {
      await env.DB.exec('ALTER TABLE device_changes_offline RENAME TO device_changes');
    }
    expect((await softwareRows(device.deviceId)).find((r) => r.name === 'nginx')).toBeUndefined();

    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 10_000);
    expect(await runDurableObjectAlarm(hub)).toBe(true);
    vi.useRealTimers();
    expect(await pending(device.deviceId)).toBe(0);
    expect((await softwareRows(device.deviceId)).find((r) => r.name === 'nginx')).toMatchObject({ version: '1.24.0' });
    const added = await db()
      .select()
      .from(schema.deviceChanges)
      .where(and(eq(schema.deviceChanges.deviceId, device.deviceId), eq(schema.deviceChanges.kind, 'software_added')))
      .all();
    expect(added).toHaveLength(1);
    expect((await inventoryRow(device.deviceId))?.hash).toBe(await hashOf(next));
  });
});
