import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CloseCode } from '../protocol/agent-frames';
import { deviceRow, hb, hello, seedDevice, seedTenant } from './testing/fixtures';
import { connectAgent, connectDashboard, deviceHub, type TestSocket } from './testing/sockets';

const open: TestSocket[] = [];
const track = <T extends TestSocket>(s: T) => (open.push(s), s);
afterEach(() => {
  vi.useRealTimers();
  for (const s of open.splice(0)) s.close();
});

const count = (deviceId: string, table: string) =>
  runInDurableObject(deviceHub(deviceId), (_, state) => state.storage.sql.exec<{ n: number }>(`SELECT count(*) AS n FROM ${table}`).one().n);

describe('DeviceHub presence', () => {
  it('welcomes the agent; hello marks the D1 row online and reaches the tenant dashboard', async () => {
    const fleet = await seedTenant();
    const device = await seedDevice(fleet);
    const dash = track(await connectDashboard(fleet.tenantId, null));
    await dash.next('hello');

    const agent = track(await connectAgent(device));
    const welcome = await agent.next('welcome');
    expect(welcome).toMatchObject({ deviceId: device.deviceId, heartbeatSeconds: 30 });
    expect(Math.abs((welcome.serverTime as number) - Date.now())).toBeLessThan(60_000);

    agent.send(hello({ hostname: '<b>web-01</b>', agentVersion: '2.0.0' }));
    const change = await dash.next('device');
    expect(change.device).toMatchObject({
      id: device.deviceId,
      clientId: device.clientId,
      status: 'online',
      hostname: '<b>web-01</b>',
      agentVersion: '2.0.0',
    });
    const row = await deviceRow(device.deviceId);
    expect(row).toMatchObject({ status: 'online', hostname: '<b>web-01</b>', agentVersion: '2.0.0', osName: 'Debian GNU/Linux', osVersion: '12', kernel: '6.1.0' });
    expect(row?.statusChangedAt).toBeGreaterThan(0);
    expect(await deviceHub(device.deviceId).getStatus()).toMatchObject({ online: true, hostname: '<b>web-01</b>', agentVersion: '2.0.0' });
  });

  it('a heartbeat is acknowledged and folded into exactly one minute row', async () => {
    const fleet = await seedTenant();
    const device = await seedDevice(fleet);
    // Pin the clock inside one minute so every heartbeat lands in the same bucket.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Math.floor(Date.now() / 60_000) * 60_000 + 5_000);
    const agent = track(await connectAgent(device));
    agent.send(hello());
    for (const [seq, cpu] of [[1, 10], [2, 30], [3, 20]]) {
      agent.send(hb(seq, { cpuPercent: cpu }));
      expect(await agent.next('hb_ack')).toEqual({ t: 'hb_ack', seq });
    }
    const rows = await runInDurableObject(deviceHub(device.deviceId), (_, state) =>
      state.storage.sql.exec('SELECT n, cpu_sum, cpu_max FROM metrics_minute').toArray(),
    );
    expect(rows).toEqual([{ n: 3, cpu_sum: 60, cpu_max: 30 }]);
    const status = await deviceHub(device.deviceId).getStatus();
    expect(status.latest?.cpuPercent).toBe(20);
    expect(status.ipAddresses).toEqual(['10.0.0.5']);
    expect(status.lastSeenAt).toBe(Date.now());
  });

  it('a changed IP address set is reported to the tenant; an unchanged one is not', async () => {
    const fleet = await seedTenant();
    const device = await seedDevice(fleet);
    const dash = track(await connectDashboard(fleet.tenantId, null));
    const agent = track(await connectAgent(device));
    agent.send(hello());
    await dash.next((f) => f.t === 'device');
    agent.send(hb(1, { ipAddresses: ['10.0.0.5'] }));
    await dash.next((f) => f.t === 'device' && JSON.stringify((f.device as { ipAddresses: string[] }).ipAddresses) === '["10.0.0.5"]');
    agent.send(hb(2, { ipAddresses: ['10.0.0.5'] }));
    agent.send(hb(3, { ipAddresses: ['10.0.0.9', '10.0.0.5'] }));
    await agent.next((f) => f.t === 'hb_ack' && f.seq === 3);
    const next = await dash.next('device');
    expect(next.device).toMatchObject({ ipAddresses: ['10.0.0.9', '10.0.0.5'] });
    expect(dash.all('device')).toHaveLength(3);
    expect((await deviceRow(device.deviceId))?.ipAddresses).toEqual(['10.0.0.9', '10.0.0.5']);
  });

  for (const [name, frame] of [
    ['bad JSON', '{"t":"hb",'],
    ['an unknown frame type', JSON.stringify({ t: 'shell', cmd: 'rm -rf /' })],
    ['a frame failing its schema', JSON.stringify({ ...hb(1), m: { ...hb(1).m, cpuPercent: 500 } })],
    ['an oversized frame', JSON.stringify({ ...hb(1), pad: 'x'.repeat(300 * 1024) })],
    ['a binary frame', new TextEncoder().encode(JSON.stringify(hb(1)))],
  ] as const) {
    it(`closes with 1008 on ${name} and stores nothing from it`, async () => {
      const fleet = await seedTenant();
      const device = await seedDevice(fleet);
      const agent = track(await connectAgent(device));
      await agent.next('welcome');
      agent.ws.send(frame);
      expect((await agent.closed()).code).toBe(CloseCode.policy);
      for (const table of ['metrics_minute', 'seen_fids', 'output', 'commands']) expect(await count(device.deviceId, table)).toBe(0);
      expect((await deviceHub(device.deviceId).getStatus()).latest).toBeNull();
      expect(agent.all('hb_ack')).toHaveLength(0);
    });
  }

  it('a second agent connection replaces the first (4001) without an offline blip', async () => {
    const fleet = await seedTenant();
    const device = await seedDevice(fleet);
    const dash = track(await connectDashboard(fleet.tenantId, null));
    const first = track(await connectAgent(device));
    first.send(hello());
    await dash.next('device');
    const second = track(await connectAgent(device));
    expect(await first.closed()).toMatchObject({ code: CloseCode.replaced });
    await second.next('welcome');
    second.send(hb(7));
    expect(await second.next('hb_ack')).toMatchObject({ seq: 7 });
    // The replaced socket's close must not have reported the device offline.
    await new Promise((r) => setTimeout(r, 200));
    const statuses = dash.all('device').map((f) => (f.device as { status: string }).status);
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses).not.toContain('offline');
    expect((await deviceRow(device.deviceId))?.status).toBe('online');
    expect((await deviceHub(device.deviceId).getStatus()).online).toBe(true);
  });

  it('marks the device offline at once when the agent socket closes', async () => {
    const fleet = await seedTenant();
    const device = await seedDevice(fleet);
    const dash = track(await connectDashboard(fleet.tenantId, null));
    const agent = track(await connectAgent(device));
    agent.send(hello());
    await dash.next((f) => f.t === 'device' && (f.device as { status: string }).status === 'online');
    agent.close(1000);
    const off = await dash.next('device');
    expect(off.device).toMatchObject({ id: device.deviceId, status: 'offline' });
    expect((await deviceRow(device.deviceId))?.status).toBe('offline');
    expect((await deviceHub(device.deviceId).getStatus()).online).toBe(false);
  });

  it('the offline watchdog leaves a live agent alone and drops a silent one', async () => {
    const fleet = await seedTenant();
    const device = await seedDevice(fleet);
    const stub = deviceHub(device.deviceId);
    const dash = track(await connectDashboard(fleet.tenantId, null));
    vi.useFakeTimers({ toFake: ['Date'] });
    const t0 = Date.now();
    vi.setSystemTime(t0);
    const agent = track(await connectAgent(device));
    agent.send(hello());
    agent.send(hb(1));
    await agent.next('hb_ack');
    await dash.next('device');
    const scheduled = await runInDurableObject(stub, (_, state) => state.storage.getAlarm());
    // One watchdog, 1.5 intervals plus grace (55 s at 30 s) after the last sign of life; not
    // one per heartbeat. Within two intervals: the goal for offline detection.
    expect(scheduled).toBe(t0 + 55_000);

    // A beat 15 s late: the alarm finds the agent alive and only moves the watchdog on.
    vi.setSystemTime(t0 + 45_000);
    agent.send(hb(2));
    await agent.next('hb_ack');
    vi.setSystemTime(t0 + 55_000);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect((await stub.getStatus()).online).toBe(true);
    expect(await runInDurableObject(stub, (_, state) => state.storage.getAlarm())).toBe(t0 + 100_000);

    // Silent for 55 s after its last beat: offline, socket closed, tenant told.
    vi.setSystemTime(t0 + 100_000);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    await agent.closed();
    const off = await dash.next((f) => f.t === 'device' && (f.device as { status: string }).status === 'offline');
    expect(dash.all('device').filter((f) => (f.device as { status: string }).status === 'offline')).toHaveLength(1);
    expect(off.device).toMatchObject({ status: 'offline' });
    expect(await deviceRow(device.deviceId)).toMatchObject({ status: 'offline', lastSeenAt: t0 + 45_000 });
    expect((await stub.getStatus()).online).toBe(false);
  });
});
