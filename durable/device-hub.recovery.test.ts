import { env, evictDurableObject, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { commandRow, hb, hello, seedCommand, seedDevice, seedTenant } from './testing/fixtures';
import { connectAgent, deviceHub, type TestSocket } from './testing/sockets';

/*
 * Failure paths: a hub evicted between events, D1 refusing a write, an agent reinstalled.
 * This file renames a D1 table to make writes fail for real, so it keeps its own storage.
 */

const open: TestSocket[] = [];
const track = <T extends TestSocket>(s: T) => (open.push(s), s);
afterEach(() => {
  vi.useRealTimers();
  for (const s of open.splice(0)) s.close();
});

const scheduled = (deviceId: string) =>
  runInDurableObject(deviceHub(deviceId), (_, state) => state.storage.sql.exec<{ key: string }>('SELECT key FROM schedule ORDER BY key').toArray().map((r) => r.key));

describe('DeviceHub recovery', () => {
  it('survives eviction: the socket stays, state comes back from storage', async () => {
    const device = await seedDevice(await seedTenant());
    const hub = deviceHub(device.deviceId);
    const agent = track(await connectAgent(device));
    agent.send(hello({ hostname: 'keeps-this' }));
    agent.send(hb(1, { cpuPercent: 66 }));
    await agent.next('hb_ack');
    await evictDurableObject(hub);

    // A fresh instance: identity, latest sample and status are read back from storage.
    expect(await hub.getStatus()).toMatchObject({ online: true, hostname: 'keeps-this', latest: expect.objectContaining({ cpuPercent: 66 }) });
    agent.send(hb(2, { cpuPercent: 11 }));
    expect(await agent.next('hb_ack')).toMatchObject({ seq: 2 });
    expect((await hub.getStatus()).latest?.cpuPercent).toBe(11);
  });

  it('a failed D1 write leaves a retry job that completes it later', async () => {
    const device = await seedDevice(await seedTenant());
    const hub = deviceHub(device.deviceId);
    const agent = track(await connectAgent(device));
    const cmd = await seedCommand(device);
    await hub.enqueue(cmd, device);
    await agent.next('cmd');

    await env.DB.exec('ALTER TABLE commands RENAME TO commands_offline');
    try {
      agent.send({ t: 'out', fid: 1, id: cmd.id, seq: 0, stream: 'stdout', data: 'done\n' });
      agent.send({ t: 'done', fid: 2, id: cmd.id, status: 'succeeded', exitCode: 0, durationMs: 3, truncated: false });
      await agent.next((f) => f.t === 'ack' && (f.fids as number[]).includes(2));
      // The hub stored the result and acked; D1 refused, so a retry is pending.
      await vi.waitUntil(async () => (await scheduled(device.deviceId)).includes(`d1_sync:${cmd.id}`), { timeout: 5000 });
      expect((await hub.getCommand(cmd.id))?.status).toBe('succeeded');
    } finally {
      await env.DB.exec('ALTER TABLE commands_offline RENAME TO commands');
    }
    expect((await commandRow(cmd.id))?.status).toBe('queued');

    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 10_000);
    expect(await runDurableObjectAlarm(hub)).toBe(true);
    expect(await commandRow(cmd.id)).toMatchObject({ status: 'succeeded', exitCode: 0, output: 'done\n' });
    expect(await scheduled(device.deviceId)).not.toContain(`d1_sync:${cmd.id}`);
  });

  it('a reinstalled agent (lower lastFid) starts frame ids afresh', async () => {
    const device = await seedDevice(await seedTenant());
    const hub = deviceHub(device.deviceId);
    const agent = track(await connectAgent(device));
    const first = await seedCommand(device);
    await hub.enqueue(first, device);
    agent.send({ t: 'cmd_ack', fid: 5, id: first.id });
    await agent.next('ack');

    const again = track(await connectAgent(device));
    const second = await seedCommand(device);
    await hub.enqueue(second, device);
    // Same agent, no reinstall: fid 5 is known, so this ack is acknowledged but not applied.
    again.send(hello({ lastFid: 5 }));
    again.send({ t: 'cmd_ack', fid: 5, id: second.id });
    await again.next('ack');
    expect((await hub.getCommand(second.id))?.status).toBe('queued');

    const reinstalled = track(await connectAgent(device));
    reinstalled.send(hello({ lastFid: 0 }));
    reinstalled.send({ t: 'cmd_ack', fid: 5, id: second.id });
    expect(await reinstalled.next('ack')).toEqual({ t: 'ack', fids: [5] });
    expect((await hub.getCommand(second.id))?.status).toBe('delivered');
  });
});
