import { runInDurableObject } from 'cloudflare:test';
import { afterEach, describe, expect, it } from 'vitest';
import type { TenantHub } from './tenant-hub';
import { deviceRow, seedDevice, seedTenant } from './testing/fixtures';
import { connectDashboard, tenantHub, type TestSocket } from './testing/sockets';
import { HUB_HEADERS } from './contracts';

const open: TestSocket[] = [];
const track = <T extends TestSocket>(s: T) => (open.push(s), s);
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

describe('TenantHub', () => {
  it('applies a status event to the D1 row and ignores an older one', async () => {
    const fleet = await seedTenant();
    const { deviceId } = await seedDevice(fleet);
    const hub = tenantHub(fleet.tenantId);
    const dash = track(await connectDashboard(fleet.tenantId, null));
    await dash.next('hello');

    const online = await hub.deviceStatusChanged({
      deviceId,
      status: 'online',
      at: 2_000,
      lastSeenAt: 1_900,
      hostname: 'db-01',
      agentVersion: '3.1.0',
      ipAddresses: ['192.168.1.4'],
      os: { platform: 'win32', distro: 'Windows 11 Pro', release: '23H2', kernel: '10.0.22631', arch: 'arm64' },
    });
    expect(online).toEqual({ applied: true });
    expect(await deviceRow(deviceId)).toMatchObject({
      status: 'online',
      statusChangedAt: 2_000,
      lastSeenAt: 1_900,
      hostname: 'db-01',
      agentVersion: '3.1.0',
      ipAddresses: ['192.168.1.4'],
      osPlatform: 'win32',
      osName: 'Windows 11 Pro',
      osVersion: '23H2',
      kernel: '10.0.22631',
      arch: 'arm64',
    });
    expect((await dash.next('device')).device).toMatchObject({ id: deviceId, status: 'online', hostname: 'db-01' });

    // Overtaken by the event above: must not flip the row back, nor reach dashboards.
    expect(await hub.deviceStatusChanged({ deviceId, status: 'offline', at: 1_500, lastSeenAt: 1_400 })).toEqual({ applied: false });
    expect(await deviceRow(deviceId)).toMatchObject({ status: 'online', statusChangedAt: 2_000, lastSeenAt: 1_900 });

    expect(await hub.deviceStatusChanged({ deviceId, status: 'offline', at: 3_000, lastSeenAt: null })).toEqual({ applied: true });
    // Fields the event does not carry are left as they were.
    expect(await deviceRow(deviceId)).toMatchObject({ status: 'offline', statusChangedAt: 3_000, lastSeenAt: 1_900, hostname: 'db-01' });
    const frames = [(await dash.next('device')).device];
    expect(frames).toEqual([expect.objectContaining({ status: 'offline' })]);
    expect(dash.all('device')).toHaveLength(2);
  });

  it("does not touch another tenant's device", async () => {
    const mine = await seedTenant();
    const theirs = await seedTenant();
    const { deviceId } = await seedDevice(theirs);
    const res = await tenantHub(mine.tenantId).deviceStatusChanged({ deviceId, status: 'online', at: Date.now(), lastSeenAt: Date.now() });
    expect(res).toEqual({ applied: false });
    expect((await deviceRow(deviceId))?.status).toBe('offline');
  });

  it('a dashboard limited to some clients only receives those clients’ devices and commands', async () => {
    const fleet = await seedTenant(2);
    const inA = await seedDevice(fleet, 0);
    const inB = await seedDevice(fleet, 1);
    const hub = tenantHub(fleet.tenantId);
    const scoped = track(await connectDashboard(fleet.tenantId, [fleet.clientIds[0]], 'usr_a'));
    const all = track(await connectDashboard(fleet.tenantId, null, 'usr_all'));
    await scoped.next('hello');
    await all.next('hello');

    const now = Date.now();
    await hub.deviceStatusChanged({ deviceId: inB.deviceId, status: 'online', at: now, lastSeenAt: now });
    await hub.commandEvent({ deviceId: inB.deviceId, commandId: 'cmd_b', status: 'succeeded', exitCode: 0, at: now });
    await hub.publish({ t: 'device_added', deviceId: inB.deviceId }, inB.clientId);
    await hub.deviceStatusChanged({ deviceId: inA.deviceId, status: 'online', at: now, lastSeenAt: now });
    await hub.commandEvent({ deviceId: inA.deviceId, commandId: 'cmd_a', status: 'failed', exitCode: 1, at: now });
    await hub.publish({ t: 'device_added', deviceId: inA.deviceId }, inA.clientId);

    // The unscoped dashboard sees both clients, in order.
    expect((await all.next('device')).device).toMatchObject({ id: inB.deviceId });
    expect((await all.next('command')).command).toMatchObject({ commandId: 'cmd_b' });
    expect(await all.next('device_added')).toMatchObject({ deviceId: inB.deviceId });
    expect((await all.next('device')).device).toMatchObject({ id: inA.deviceId });
    expect((await all.next('command')).command).toMatchObject({ commandId: 'cmd_a' });
    expect(await all.next('device_added')).toMatchObject({ deviceId: inA.deviceId });

    // Frames are sent in order, so once client A's last frame is here, B's would have been too.
    await scoped.next((f) => f.t === 'device_added' && f.deviceId === inA.deviceId);
    expect(scoped.frames.map((f) => f.t)).toEqual(['hello', 'device', 'command', 'device_added']);
    expect(JSON.stringify(scoped.frames)).not.toContain(inB.deviceId);
    expect(JSON.stringify(scoped.frames)).not.toContain('cmd_b');
  });

  it('publish without a client reaches every dashboard; invalid frames are refused', async () => {
    const fleet = await seedTenant(2);
    const hub = tenantHub(fleet.tenantId);
    const scoped = track(await connectDashboard(fleet.tenantId, [fleet.clientIds[1]]));
    await scoped.next('hello');
    await hub.publish({ t: 'device_removed', deviceId: 'dev_gone' });
    expect(await scoped.next('device_removed')).toEqual({ t: 'device_removed', deviceId: 'dev_gone' });
    const refused = await runInDurableObject(hub, (instance: TenantHub) =>
      instance.publish({ t: 'nonsense' } as never).then(
        () => 'accepted',
        (err: Error) => err.message,
      ),
    );
    expect(refused).toMatch(/Invalid type/);
  });

  it('refuses upgrades without a user, with malformed client ids, or for another tenant', async () => {
    const fleet = await seedTenant();
    const hub = tenantHub(fleet.tenantId);
    const base = { Upgrade: 'websocket', [HUB_HEADERS.tenantId]: fleet.tenantId, [HUB_HEADERS.userId]: 'usr_1', [HUB_HEADERS.clientIds]: 'null' };
    expect((await hub.fetch('http://hub/live')).status).toBe(426);
    expect((await hub.fetch('http://hub/live', { headers: { ...base, [HUB_HEADERS.userId]: '' } })).status).toBe(400);
    expect((await hub.fetch('http://hub/live', { headers: { ...base, [HUB_HEADERS.clientIds]: '{"a":1}' } })).status).toBe(400);
    expect((await hub.fetch('http://hub/live', { headers: { ...base, [HUB_HEADERS.tenantId]: 'ten_other' } })).status).toBe(400);
    const ok = await hub.fetch('http://hub/live', { headers: base });
    expect(ok.status).toBe(101);
    track(new (await import('./testing/sockets')).TestSocket(ok.webSocket!));
  });
});
