import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DeviceHub } from './device-hub';
import { hb, hello, seedDevice, seedTenant } from './testing/fixtures';
import { connectAgent, connectDashboard, connectViewer, deviceHub, eventually, type TestSocket } from './testing/sockets';
import { alertRows, compiled, cpuCheck } from './testing/monitoring';

const open: TestSocket[] = [];
const track = <T extends TestSocket>(s: T) => (open.push(s), s);
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

async function online() {
  const fleet = await seedTenant();
  const device = await seedDevice(fleet);
  const agent = track(await connectAgent(device));
  await agent.next('welcome');
  agent.send(hello());
  return { fleet, device, agent, hub: deviceHub(device.deviceId) };
}

describe('DeviceHub check engine', () => {
  it('turns a CPU breach into a live alert and resolves it when the threshold is raised', async () => {
    const { fleet, device, agent, hub } = await online();
    const dash = track(await connectDashboard(fleet.tenantId, null));
    await dash.next('hello');
    await hub.setChecks(compiled([cpuCheck(50)]), device);
    agent.send(hb(1, { cpuPercent: 80 }));
    const opened = await dash.next((f) => f.t === 'alert' && (f.alert as { status: string }).status === 'open');
    expect(opened.alert).toMatchObject({ deviceId: device.deviceId, checkKey: 'cpu-high', severity: 'critical', value: 80 });
    expect((await hub.getCheckStates())['cpu-high']).toMatchObject({ status: 'breach', value: 80 });

    // Raising the threshold re-judges the last sample at once: no need to wait for a heartbeat.
    expect(await hub.setChecks(compiled([cpuCheck(95)]), device)).toEqual({ changed: true });
    const resolved = await dash.next((f) => f.t === 'alert' && (f.alert as { status: string }).status === 'resolved');
    expect(resolved.alert).toMatchObject({ resolvedBy: 'auto' });
    expect(await alertRows(device.deviceId)).toHaveLength(1);
  });

  it('sends only transitions: steady breaching samples cost no TenantHub calls', async () => {
    const { device, agent, hub } = await online();
    await hub.setChecks(compiled([cpuCheck(50)]), device);
    for (let i = 1; i <= 5; i++) {
      agent.send(hb(i, { cpuPercent: 90 }));
      await agent.next('hb_ack');
    }
    await eventually(async () => expect(await alertRows(device.deviceId)).toHaveLength(1));
    const rows = await alertRows(device.deviceId);
    expect(rows[0]!.transitions).toBe(1);
    await runInDurableObject(hub, (_obj: DeviceHub, state) => {
      expect(state.storage.sql.exec('SELECT count(*) AS n FROM transitions_out').one().n).toBe(0);
    });
  });

  it('drops and counts a sample with impossible values, storing nothing of it', async () => {
    const { agent, hub } = await online();
    agent.send(hb(1, { cpuPercent: 10 }));
    await agent.next('hb_ack');
    agent.send(hb(2, { memTotalBytes: 1e9, memUsedBytes: 5e9 }));
    await agent.next('hb_ack');
    const status = await hub.getStatus();
    expect(status.droppedSamples).toBe(1);
    expect(status.latest?.memUsedBytes).not.toBe(5e9);
  });

  it('raises the offline check when the agent goes away and clears it on return', async () => {
    const { device, agent, hub } = await online();
    await hub.setChecks(compiled([{ key: 'offline', name: 'Device offline', severity: 'critical', type: 'offline' }]), device);
    agent.send(hb(1));
    await agent.next('hb_ack');
    agent.close();
    await eventually(async () => expect((await alertRows(device.deviceId))[0]).toMatchObject({ checkKey: 'offline', status: 'open' }));
    const back = track(await connectAgent(device));
    await back.next('welcome');
    back.send(hello());
    await eventually(async () => expect((await alertRows(device.deviceId))[0]).toMatchObject({ status: 'resolved' }));
  });

  it('matches event-log entries, acknowledges the durable frame, and clears after a quiet window', async () => {
    const { device, agent, hub } = await online();
    await hub.setChecks(
      compiled([{ key: 'disk-errors', name: 'Disk I/O errors', severity: 'warning', type: 'event_log', pattern: 'I/O error', clearAfterMinutes: 1 }]),
      device,
    );
    const entry = { ts: Date.now(), level: 'error', source: 'kernel', eventId: null, message: 'blk_update_request: I/O error, dev sda' };
    agent.send({ t: 'events', fid: 7, entries: [entry, { ...entry, message: 'unrelated' }] });
    expect(await agent.next('ack')).toEqual({ t: 'ack', fids: [7] });
    // A resend after a reconnect is acknowledged again and stored once.
    agent.send({ t: 'events', fid: 7, entries: [entry] });
    expect(await agent.next('ack')).toEqual({ t: 'ack', fids: [7] });
    expect(await hub.getEvents(10)).toHaveLength(2);
    await eventually(async () => expect((await alertRows(device.deviceId))[0]).toMatchObject({ status: 'open', checkKey: 'disk-errors' }));
    expect((await alertRows(device.deviceId))[0]!.message).toContain('I/O error, dev sda');

    // Two quiet minutes later the clear timer finds no newer match.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 2 * 60_000);
      expect(await runDurableObjectAlarm(hub)).toBe(true);
    } finally {
      vi.useRealTimers();
    }
    await eventually(async () => expect((await alertRows(device.deviceId))[0]).toMatchObject({ status: 'resolved', resolvedBy: 'auto' }));
  });

  it('ignores agent results for another config version and applies the current ones', async () => {
    const { device, agent, hub } = await online();
    const push = compiled([{ key: 'web', name: 'Web answers', severity: 'critical', type: 'http', url: 'http://127.0.0.1:8080/' }]);
    await hub.setChecks(push, device);
    agent.send({ t: 'check_results', fid: 1, version: 'old', results: [{ key: 'web', status: 'fail', at: Date.now(), message: 'refused' }] });
    await agent.next('ack');
    expect((await hub.getCheckStates()).web).toBeUndefined();
    agent.send({ t: 'check_results', fid: 2, version: push.version, results: [{ key: 'web', status: 'fail', at: Date.now(), message: 'connection refused' }] });
    await agent.next('ack');
    expect((await hub.getCheckStates()).web).toMatchObject({ status: 'breach', message: 'connection refused' });
    await eventually(async () => expect((await alertRows(device.deviceId))[0]).toMatchObject({ checkKey: 'web', status: 'open' }));
  });

  it('tells viewers when a check changes state', async () => {
    const { device, agent, hub } = await online();
    const viewer = track(await connectViewer(device));
    await viewer.next('status');
    await hub.setChecks(compiled([cpuCheck(50)]), device);
    agent.send(hb(1, { cpuPercent: 99 }));
    expect(await viewer.next('check')).toMatchObject({ key: 'cpu-high', status: 'breach' });
  });
});
