import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, bootstrapTenant, createTenantDirect, insertDevice, type BootstrappedTenant } from '../../test/support';
import { connectAgent, type TestSocket } from '../../durable/testing/sockets';
import { hb, hello } from '../../durable/testing/fixtures';

let t: BootstrappedTenant;
let dev: string;
let agent: TestSocket;
beforeAll(async () => {
  t = await bootstrapTenant();
  dev = await insertDevice(t);
  agent = await connectAgent({ deviceId: dev, tenantId: t.tenantId, clientId: t.clientId });
  await agent.next('welcome');
  agent.send(hello());
});
afterAll(() => agent.close());

describe('device state, events and metric series', () => {
  it('serves the latest collector sections, null before the first report', async () => {
    expect((await api(t, 'GET', `/devices/${dev}/state/services`)).body).toEqual({ at: null, data: null });
    const services = [{ name: 'nginx.service', state: 'running', startMode: 'auto' }, { name: '<b>x</b>', state: 'stopped', startMode: 'manual' }];
    agent.send({ t: 'state', at: Date.now(), section: 'services', data: services });
    agent.send(hb(1));
    await agent.next('hb_ack');
    const res = await api(t, 'GET', `/devices/${dev}/state/services`);
    expect(res.body.data).toEqual(services);
    expect(typeof res.body.at).toBe('number');
    expect((await api(t, 'GET', `/devices/${dev}/state/registry`)).status).toBe(400);
  });

  it('pages event-log entries newest first', async () => {
    const entries = Array.from({ length: 5 }, (_, i) => ({ ts: 1000 + i, level: 'error', source: 'sshd', eventId: null, message: `failure ${i}` }));
    agent.send({ t: 'events', fid: 1, entries });
    await agent.next('ack');
    const first = await api(t, 'GET', `/devices/${dev}/events?limit=3`);
    expect(first.body.items.map((e: { message: string }) => e.message)).toEqual(['failure 4', 'failure 3', 'failure 2']);
    const before = first.body.items[2].id;
    const rest = await api(t, 'GET', `/devices/${dev}/events?limit=3&before=${before}`);
    expect(rest.body.items.map((e: { message: string }) => e.message)).toEqual(['failure 1', 'failure 0']);
  });

  it('folds metric points to the requested step', async () => {
    const res = await api(t, 'GET', `/devices/${dev}/metrics?step=600`);
    expect(res.status).toBe(200);
    expect(res.body.resolution).toBe('minute');
    expect(res.body.points.length).toBe(1);
    expect(res.body.points[0].ts % 600_000).toBe(0);
    expect((await api(t, 'GET', `/devices/${dev}/metrics?step=7200`)).body.resolution).toBe('hour');
    expect((await api(t, 'GET', `/devices/${dev}/metrics?step=5`)).status).toBe(400);
  });

  it("answers 404 for another tenant's device", async () => {
    const stranger = await createTenantDirect();
    expect((await api(stranger, 'GET', `/devices/${dev}/state/services`)).status).toBe(404);
    expect((await api(stranger, 'GET', `/devices/${dev}/events`)).status).toBe(404);
  });
});
