import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CloseCode } from '../protocol/agent-frames';
import { MAX_OUTPUT_BYTES, TRUNCATION_MARKER } from '../protocol/limits';
import { commandRow, hello, seedCommand, seedDevice, seedTenant } from './testing/fixtures';
import { connectAgent, connectDashboard, deviceHub, eventually, type TestSocket } from './testing/sockets';

const open: TestSocket[] = [];
const track = <T extends TestSocket>(s: T) => (open.push(s), s);
afterEach(() => {
  vi.useRealTimers();
  for (const s of open.splice(0)) s.close();
});

async function onlineDevice() {
  const fleet = await seedTenant();
  const device = await seedDevice(fleet);
  return { fleet, device };
}

const cmdIdOf = (f: Record<string, unknown>) => JSON.parse((f.cmd as { payload: string }).payload).id as string;

describe('DeviceHub commands', () => {
  it('a command queued while offline is persisted and delivered on connect', async () => {
    const { device } = await onlineDevice();
    const cmd = await seedCommand(device);
    const res = await deviceHub(device.deviceId).enqueue(cmd, device);
    expect(res).toEqual({ delivered: false });
    // Idempotent on id: a retried enqueue queues nothing twice.
    expect(await deviceHub(device.deviceId).enqueue(cmd, device)).toEqual({ delivered: false });
    expect((await deviceHub(device.deviceId).getCommand(cmd.id))?.status).toBe('queued');

    const agent = track(await connectAgent(device));
    await agent.next('welcome');
    const frame = await agent.next('cmd');
    expect(frame.cmd).toEqual(cmd.signed);
    expect(agent.all('cmd')).toHaveLength(1);

    agent.send({ t: 'cmd_ack', fid: 1, id: cmd.id });
    expect(await agent.next('ack')).toEqual({ t: 'ack', fids: [1] });
    expect(await deviceHub(device.deviceId).getCommand(cmd.id)).toMatchObject({ status: 'delivered', deliveredAt: expect.any(Number) });
  });

  it('a command enqueued while the agent is connected is sent at once', async () => {
    const { device } = await onlineDevice();
    const agent = track(await connectAgent(device));
    await agent.next('welcome');
    const cmd = await seedCommand(device);
    expect(await deviceHub(device.deviceId).enqueue(cmd, device)).toEqual({ delivered: true });
    expect(cmdIdOf(await agent.next('cmd'))).toBe(cmd.id);
  });

  it('an expired command is marked expired (in D1 too) and never delivered', async () => {
    const { device } = await onlineDevice();
    const stale = await seedCommand(device, 1_000);
    const fresh = await seedCommand(device, 3600_000);
    const hub = deviceHub(device.deviceId);
    await hub.enqueue(stale, device);
    await hub.enqueue(fresh, device);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 5_000);

    const agent = track(await connectAgent(device));
    await agent.next('welcome');
    expect(cmdIdOf(await agent.next('cmd'))).toBe(fresh.id);
    expect(agent.all('cmd').map(cmdIdOf)).toEqual([fresh.id]);
    expect((await hub.getCommand(stale.id))?.status).toBe('expired');
    expect(await commandRow(stale.id)).toMatchObject({ status: 'expired', finishedAt: Date.now() });
    expect((await commandRow(fresh.id))?.status).toBe('queued');
  });

  it('the expiry job expires a queued command of a device that never comes back', async () => {
    const { fleet, device } = await onlineDevice();
    const dash = track(await connectDashboard(fleet.tenantId, null));
    const cmd = await seedCommand(device, 10_000);
    const hub = deviceHub(device.deviceId);
    await hub.enqueue(cmd, device);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 11_000);
    expect(await runDurableObjectAlarm(hub)).toBe(true);
    expect((await commandRow(cmd.id))?.status).toBe('expired');
    expect((await dash.next('command')).command).toMatchObject({ commandId: cmd.id, status: 'expired', deviceId: device.deviceId });
  });

  it('out and done are acked after storing, written to D1, and idempotent when resent', async () => {
    const { fleet, device } = await onlineDevice();
    const dash = track(await connectDashboard(fleet.tenantId, null));
    const agent = track(await connectAgent(device));
    agent.send(hello());
    const cmd = await seedCommand(device);
    await deviceHub(device.deviceId).enqueue(cmd, device);
    await agent.next('cmd');

    const out1 = { t: 'out', fid: 11, id: cmd.id, seq: 0, stream: 'stdout', data: 'hello\n' };
    const out2 = { t: 'out', fid: 12, id: cmd.id, seq: 1, stream: 'stderr', data: 'warn\n' };
    const done = { t: 'done', fid: 13, id: cmd.id, status: 'failed', exitCode: 2, durationMs: 1234.5, truncated: false, error: 'exit 2' };
    for (const f of [out1, out2, done]) {
      agent.send(f);
      expect(await agent.next('ack')).toEqual({ t: 'ack', fids: [f.fid] });
    }
    const row = await eventually(async () => {
      const r = await commandRow(cmd.id);
      expect(r?.status).toBe('failed');
      return r;
    });
    expect(row).toMatchObject({ exitCode: 2, durationMs: 1235, output: 'hello\nwarn\n', truncated: false, error: 'exit 2' });
    expect(row?.finishedAt).toBeGreaterThan(0);
    expect((await dash.next('command')).command).toMatchObject({ commandId: cmd.id, status: 'failed', exitCode: 2 });

    // The agent resends after a reconnect: acked again, nothing applied twice.
    const again = track(await connectAgent(device));
    await again.next('welcome');
    // A finished command is not redelivered.
    expect(again.all('cmd')).toHaveLength(0);
    for (const f of [out1, out2, done]) {
      again.send(f);
      expect(await again.next('ack')).toEqual({ t: 'ack', fids: [f.fid] });
    }
    // Same chunk under a new frame id, and a contradicting late result: both ignored.
    again.send({ ...out1, fid: 21, data: 'DUPLICATE' });
    again.send({ ...done, fid: 22, status: 'succeeded', exitCode: 0 });
    expect((await again.next('ack')).fids).toEqual([21]);
    expect((await again.next('ack')).fids).toEqual([22]);
    const state = await deviceHub(device.deviceId).getCommand(cmd.id);
    expect(state).toMatchObject({ status: 'failed', exitCode: 2, output: 'hello\nwarn\n', durationMs: 1234.5 });
    expect(await commandRow(cmd.id)).toMatchObject({ status: 'failed', exitCode: 2, output: 'hello\nwarn\n' });
    expect(dash.all('command').filter((f) => (f.command as { status: string }).status === 'failed')).toHaveLength(1);
  });

  it('caps stored output at 1 MiB with the truncation marker once', async () => {
    const { device } = await onlineDevice();
    const agent = track(await connectAgent(device));
    const cmd = await seedCommand(device);
    await deviceHub(device.deviceId).enqueue(cmd, device);
    await agent.next('cmd');
    const chunk = 'y'.repeat(128 * 1024);
    const chunks = 10; // 1.25 MiB offered
    for (let i = 0; i < chunks; i++) {
      agent.send({ t: 'out', fid: 100 + i, id: cmd.id, seq: i, stream: 'stdout', data: chunk });
      expect((await agent.next('ack')).fids).toEqual([100 + i]);
    }
    agent.send({ t: 'done', fid: 200, id: cmd.id, status: 'succeeded', exitCode: 0, durationMs: 10, truncated: false });
    await agent.next('ack');
    const state = await deviceHub(device.deviceId).getCommand(cmd.id);
    expect(state?.truncated).toBe(true);
    expect(new TextEncoder().encode(state!.output).length).toBe(MAX_OUTPUT_BYTES);
    expect(state!.output.endsWith(TRUNCATION_MARKER)).toBe(true);
    expect(state!.output.split(TRUNCATION_MARKER)).toHaveLength(2);
    expect(state!.output.startsWith(chunk + chunk)).toBe(true);
    const row = await eventually(async () => {
      const r = await commandRow(cmd.id);
      expect(r?.status).toBe('succeeded');
      return r;
    });
    expect(row?.truncated).toBe(true);
    expect(row?.output).toBe(state!.output);
  });

  it('revoke closes the agent with 4003 and cancels what is still queued', async () => {
    const { device } = await onlineDevice();
    const agent = track(await connectAgent(device));
    agent.send(hello());
    const cmd = await seedCommand(device);
    await deviceHub(device.deviceId).enqueue(cmd, device);
    await agent.next('cmd');
    await deviceHub(device.deviceId).revoke();
    expect((await agent.closed()).code).toBe(CloseCode.unauthorized);
    expect((await deviceHub(device.deviceId).getCommand(cmd.id))?.status).toBe('cancelled');
    expect((await commandRow(cmd.id))?.status).toBe('cancelled');
    expect((await deviceHub(device.deviceId).getStatus()).online).toBe(false);
  });

  it('cancels a command that never left the hub, and refuses once it was sent', async () => {
    const { fleet, device } = await onlineDevice();
    const dash = track(await connectDashboard(fleet.tenantId, null));
    const hub = deviceHub(device.deviceId);
    const waiting = await seedCommand(device);
    await hub.enqueue(waiting, device);
    expect(await hub.cancelCommand(waiting.id)).toBe('cancelled');
    expect((await commandRow(waiting.id))?.status).toBe('cancelled');
    expect((await dash.next('command')).command).toMatchObject({ commandId: waiting.id, status: 'cancelled' });
    expect(await hub.cancelCommand(waiting.id)).toBe('finished');
    expect(await hub.cancelCommand('cmd_nosuchcommand')).toBe('unknown');

    // Sent on connect: the agent may be running it, so it is not cancelled behind its back.
    const sent = await seedCommand(device);
    await hub.enqueue(sent, device);
    const agent = track(await connectAgent(device));
    await agent.next('welcome');
    expect(cmdIdOf(await agent.next('cmd'))).toBe(sent.id);
    expect(agent.all('cmd').map(cmdIdOf)).toEqual([sent.id]);
    agent.close();
    expect(await hub.cancelCommand(sent.id)).toBe('sent');
    expect((await hub.getCommand(sent.id))?.status).toBe('queued');
  });

  it('forgets the signed payload (which may hold secret parameters) once a command is settled', async () => {
    const { device } = await onlineDevice();
    const agent = track(await connectAgent(device));
    agent.send(hello());
    const cmd = await seedCommand(device);
    const hub = deviceHub(device.deviceId);
    await hub.enqueue(cmd, device);
    await agent.next('cmd');
    const signedOf = () =>
      runInDurableObject(hub, (_i, state) => state.storage.sql.exec<{ signed: string }>('SELECT signed FROM commands WHERE id = ?', cmd.id).one().signed);
    expect(await signedOf()).toBe(JSON.stringify(cmd.signed));
    agent.send({ t: 'out', fid: 31, id: cmd.id, seq: 0, stream: 'stdout', data: 'x' });
    await agent.next('ack');
    expect(await signedOf()).toBe(JSON.stringify(cmd.signed));
    agent.send({ t: 'done', fid: 32, id: cmd.id, status: 'succeeded', exitCode: 0, durationMs: 5, truncated: false });
    await agent.next('ack');
    expect(await signedOf()).toBe('{}');
  });

  it('tells the tenant "delivered" only for a command still open a second after the agent took it', async () => {
    const { fleet, device } = await onlineDevice();
    const dash = track(await connectDashboard(fleet.tenantId, null));
    const agent = track(await connectAgent(device));
    agent.send(hello());
    const hub = deviceHub(device.deviceId);
    const quick = await seedCommand(device);
    const slow = await seedCommand(device);
    await hub.enqueue(quick, device);
    await hub.enqueue(slow, device);
    await agent.next('cmd');
    await agent.next('cmd');
    agent.send({ t: 'cmd_ack', fid: 41, id: quick.id });
    agent.send({ t: 'cmd_ack', fid: 42, id: slow.id });
    agent.send({ t: 'done', fid: 43, id: quick.id, status: 'succeeded', exitCode: 0, durationMs: 3, truncated: false });
    const statuses = (id: string) => dash.all('command').filter((f) => (f.command as { commandId: string }).commandId === id).map((f) => (f.command as { status: string }).status);
    await eventually(async () => expect(statuses(slow.id)).toEqual(['delivered']), 5000);
    expect(statuses(quick.id)).toEqual(['succeeded']);
  });
});
