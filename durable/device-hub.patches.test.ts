import { env } from 'cloudflare:test';
import { and, eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { devicePatches, patchScans } from '../db/deploy-schema';
import { patchKey, type PatchItem, type PatchScan } from '../protocol/patches';
import { db, hb, hello, seedDevice, seedTenant } from './testing/fixtures';
import { connectAgent, eventually, type TestSocket } from './testing/sockets';

const open: TestSocket[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

const item = (name: string, version: string, over: Partial<PatchItem> = {}): PatchItem => ({
  key: patchKey('apt', name, version),
  source: 'apt',
  name,
  title: `${name} ${version}`,
  installedVersion: '1.0',
  availableVersion: version,
  classification: 'security',
  severity: 'important',
  cves: ['CVE-2024-12345'],
  advisory: 'DSA-5000-1',
  rebootRequired: false,
  sizeBytes: 1000,
  releasedAt: null,
  ...over,
});

const scan = (items: PatchItem[], over: Partial<PatchScan> = {}): PatchScan => ({ scannedAt: Date.now(), sources: ['apt'], items, errors: [], rebootPending: false, ...over });

let fid = 1;
async function send(agent: TestSocket, s: PatchScan, id = fid++): Promise<number> {
  agent.send({ t: 'patches', fid: id, scan: s });
  return id;
}

const rows = (deviceId: string) => db().select().from(devicePatches).where(eq(devicePatches.deviceId, deviceId)).all();
const scanRow = (deviceId: string) => db().select().from(patchScans).where(eq(patchScans.deviceId, deviceId)).get();

async function connected(fleet?: Awaited<ReturnType<typeof seedTenant>>) {
  const f = fleet ?? (await seedTenant());
  const device = await seedDevice(f);
  const agent = await connectAgent(device);
  open.push(agent);
  agent.send(hello());
  agent.send(hb(1));
  await agent.next('hb_ack');
  return { fleet: f, device, agent };
}

describe('DeviceHub patches frame', () => {
  it('replaces the device’s rows with each scan (many statements’ worth of rows) and acks after D1 holds them', async () => {
    const { device, agent } = await connected();
    // More rows than one statement carries (500), within one frame's byte limit.
    const many = Array.from({ length: 700 }, (_, i) => item(`pkg${i}`, `2.${i}`, { cves: [], advisory: null }));
    const first = await send(agent, scan(many, { errors: ['dnf: not installed'], rebootPending: true }));
    expect(await agent.next('ack')).toEqual({ t: 'ack', fids: [first] });
    expect(await rows(device.deviceId)).toHaveLength(700);
    expect(await scanRow(device.deviceId)).toMatchObject({ tenantId: device.tenantId, missing: 700, rebootPending: true, errors: ['dnf: not installed'], sources: ['apt'] });

    const second = await send(agent, scan([item('pkg0', '2.0', { severity: 'critical' }), item('openssl', '3.0.15')]));
    expect(await agent.next('ack')).toEqual({ t: 'ack', fids: [second] });
    const after = await rows(device.deviceId);
    expect(after.map((r) => r.key).sort()).toEqual(['apt:openssl@3.0.15', 'apt:pkg0@2.0']);
    expect(after.find((r) => r.name === 'pkg0')).toMatchObject({ severity: 'critical', cves: ['CVE-2024-12345'], classification: 'security' });
    expect((await scanRow(device.deviceId))?.missing).toBe(2);
  });

  it('keeps first_seen_at across scans and takes the tenant’s earliest sighting for a key another device reported first', async () => {
    const { fleet, device, agent } = await connected();
    const key = patchKey('apt', 'curl', '8.0');
    const early = Date.now() - 10 * 86_400_000;
    await send(agent, scan([item('curl', '8.0')]));
    await agent.next('ack');
    await db().update(devicePatches).set({ firstSeenAt: early }).where(eq(devicePatches.deviceId, device.deviceId));
    await send(agent, scan([item('curl', '8.0', { title: 'curl security update' })]));
    await agent.next('ack');
    expect((await rows(device.deviceId))[0]).toMatchObject({ key, title: 'curl security update', firstSeenAt: early });

    const other = await connected(fleet);
    await send(other.agent, scan([item('curl', '8.0'), item('zlib', '1.3')]));
    await other.agent.next('ack');
    const otherRows = await rows(other.device.deviceId);
    expect(otherRows.find((r) => r.key === key)?.firstSeenAt).toBe(early);
    expect(otherRows.find((r) => r.name === 'zlib')?.firstSeenAt).toBeGreaterThan(early);
  });

  it('a resent frame is acked again without being applied again', async () => {
    const { device, agent } = await connected();
    const id = await send(agent, scan([item('bash', '5.2')]));
    await agent.next('ack');
    // The same fid with other content: were it applied, the rows would change.
    await send(agent, scan([item('vim', '9.1')]), id);
    expect(await agent.next('ack')).toEqual({ t: 'ack', fids: [id] });
    expect((await rows(device.deviceId)).map((r) => r.name)).toEqual(['bash']);
  });

  it('does not ack while D1 cannot take the scan; the resent frame is then applied', async () => {
    const { device, agent } = await connected();
    await env.DB.exec('ALTER TABLE patch_scans RENAME TO patch_scans_offline');
    let id: number;
    try {
      id = await send(agent, scan([item('git', '2.45')]));
      agent.send(hb(2));
      await agent.next('hb_ack');
      await new Promise((r) => setTimeout(r, 200));
      expect(agent.all('ack').flatMap((a) => a.fids as number[])).not.toContain(id);
    } finally {
      await env.DB.exec('ALTER TABLE patch_scans_offline RENAME TO patch_scans');
    }
    // The batch is one transaction: nothing of the failed scan was written.
    expect(await rows(device.deviceId)).toEqual([]);
    await send(agent, scan([item('git', '2.45')]), id);
    expect(await agent.next((f) => f.t === 'ack' && (f.fids as number[]).includes(id))).toBeTruthy();
    await eventually(async () => expect((await rows(device.deviceId)).map((r) => r.name)).toEqual(['git']));
  });

  it('refuses a malformed patches frame like any other invalid frame, storing nothing', async () => {
    const { device, agent } = await connected();
    agent.send({ t: 'patches', fid: 77, scan: { scannedAt: 1, sources: ['apt'], items: [{ key: 'not a key' }], errors: [], rebootPending: false } });
    expect((await agent.closed()).code).toBe(1008);
    expect(await rows(device.deviceId)).toEqual([]);
    expect(await db().select().from(patchScans).where(and(eq(patchScans.deviceId, device.deviceId))).all()).toEqual([]);
  });
});
