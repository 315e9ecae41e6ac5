import { afterEach, describe, expect, it } from 'vitest';
import { hb, hello, seedCommand, seedDevice, seedTenant } from './testing/fixtures';
import { connectAgent, connectViewer, deviceHub, type TestSocket } from './testing/sockets';
import { HUB_HEADERS } from './contracts';

const open: TestSocket[] = [];
const track = <T extends TestSocket>(s: T) => (open.push(s), s);
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

describe('DeviceHub viewers (live device view)', () => {
  it('a viewer gets status and the latest sample on connect, then live metrics, output and results', async () => {
    const device = await seedDevice(await seedTenant());
    const agent = track(await connectAgent(device));
    agent.send(hello());
    agent.send(hb(1, { cpuPercent: 42 }));
    await agent.next('hb_ack');

    const viewer = track(await connectViewer(device));
    expect(await viewer.next('status')).toMatchObject({ online: true, heartbeatSeconds: 5, lastSeenAt: expect.any(Number) });
    expect(((await viewer.next('metrics')).sample as { cpuPercent: number }).cpuPercent).toBe(42);

    agent.send(hb(2, { cpuPercent: 77 }));
    expect(((await viewer.next('metrics')).sample as { cpuPercent: number }).cpuPercent).toBe(77);

    const cmd = await seedCommand(device);
    await deviceHub(device.deviceId).enqueue(cmd, device);
    agent.send({ t: 'out', fid: 1, id: cmd.id, seq: 0, stream: 'stdout', data: '<script>x</script>' });
    expect(await viewer.next('out')).toEqual({ t: 'out', commandId: cmd.id, stream: 'stdout', data: '<script>x</script>' });
    agent.send({ t: 'done', fid: 2, id: cmd.id, status: 'succeeded', exitCode: 0, durationMs: 5, truncated: false });
    expect(await viewer.next('cmd')).toEqual({ t: 'cmd', commandId: cmd.id, status: 'succeeded', exitCode: 0, truncated: false, error: null });

    // What a viewer sends is ignored: no effect, socket stays open.
    viewer.send({ t: 'hb', seq: 9 });
    viewer.send('not json');
    agent.send(hb(3, { cpuPercent: 1 }));
    expect(((await viewer.next('metrics')).sample as { cpuPercent: number }).cpuPercent).toBe(1);
    expect(viewer.closeEvent).toBeNull();
  });

  it('a viewer of an offline device is told so and gets no sample', async () => {
    const device = await seedDevice(await seedTenant());
    const viewer = track(await connectViewer(device));
    expect(await viewer.next('status')).toMatchObject({ online: false, lastSeenAt: null });
    expect(viewer.all('metrics')).toHaveLength(0);
  });

  it('live mode: the agent is asked for 5 s heartbeats while watched, and the normal interval after', async () => {
    const device = await seedDevice(await seedTenant());
    const agent = track(await connectAgent(device));
    await agent.next('welcome');
    const v1 = track(await connectViewer(device));
    expect(await agent.next('config')).toEqual({ t: 'config', heartbeatSeconds: 5 });
    const v2 = track(await connectViewer(device));
    await v2.next('status');
    v1.close();
    await v1.closed();
    v2.close();
    expect(await agent.next('config')).toEqual({ t: 'config', heartbeatSeconds: 30 });
    // One "fast" when the first viewer came, one "normal" when the last left.
    expect(agent.all('config')).toEqual([
      { t: 'config', heartbeatSeconds: 5 },
      { t: 'config', heartbeatSeconds: 30 },
    ]);
    expect((await deviceHub(device.deviceId).getStatus()).heartbeatSeconds).toBe(30);
  });

  it('an agent connecting while someone watches is put in live mode straight away', async () => {
    const device = await seedDevice(await seedTenant());
    const viewer = track(await connectViewer(device));
    await viewer.next('status');
    const agent = track(await connectAgent(device));
    expect(await agent.next('welcome')).toMatchObject({ heartbeatSeconds: 30 });
    expect(await agent.next('config')).toEqual({ t: 'config', heartbeatSeconds: 5 });
  });

  it('refuses non-upgrade requests and headers naming another device', async () => {
    const device = await seedDevice(await seedTenant());
    const hub = deviceHub(device.deviceId);
    expect((await hub.fetch('http://hub/connect')).status).toBe(426);
    const res = await hub.fetch('http://hub/connect', {
      headers: { Upgrade: 'websocket', [HUB_HEADERS.role]: 'agent', [HUB_HEADERS.deviceId]: 'dev_other', [HUB_HEADERS.tenantId]: device.tenantId },
    });
    expect(res.status).toBe(400);
    const noRole = await hub.fetch('http://hub/connect', {
      headers: { Upgrade: 'websocket', [HUB_HEADERS.deviceId]: device.deviceId, [HUB_HEADERS.tenantId]: device.tenantId },
    });
    expect(noRole.status).toBe(400);
  });
});
