import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { addUser, api, bootstrapTenant, createTenantDirect, insertDevice, type BootstrappedTenant } from '../../test/support';
import type { CheckTransition } from '../../durable/contracts';

const hub = (tenantId: string) => env.TENANT_HUB.get(env.TENANT_HUB.idFromName(tenantId));
const breach = (deviceId: string, checkKey: string, severity: CheckTransition['severity'], at = Date.now()): CheckTransition => ({
  deviceId,
  checkKey,
  checkName: `Check ${checkKey}`,
  checkType: 'metric',
  severity,
  state: 'breach',
  at,
  value: 91,
  message: `${checkKey} is bad`,
  escalationPolicyId: null,
});

let t: BootstrappedTenant;
let other: { clientId: string; siteId: string };
let dev: string;
let otherDev: string;
beforeAll(async () => {
  t = await bootstrapTenant();
  const clientId = (await api(t, 'POST', '/clients', { name: 'Other' })).body.id;
  const siteId = (await api(t, 'POST', '/sites', { clientId, name: 'Other Site' })).body.id;
  other = { clientId, siteId };
  dev = await insertDevice(t, { hostname: 'web-01' });
  otherDev = await insertDevice({ tenantId: t.tenantId, ...other }, { hostname: 'db-07' });
  // Distinct times: ids are time-ordered, so "newest first" is well defined.
  const at = Date.now();
  await hub(t.tenantId).checkTransitions([
    breach(dev, 'cpu', 'critical', at),
    breach(dev, 'disk', 'warning', at + 1),
    breach(otherDev, 'cpu', 'critical', at + 2),
  ]);
});

describe('alerts API', () => {
  it('lists open alerts newest first with filters, search and a summary', async () => {
    const all = await api(t, 'GET', '/alerts');
    expect(all.status).toBe(200);
    expect(all.body.items).toHaveLength(3);
    expect(all.body.items[0]).toMatchObject({ deviceId: otherDev, hostname: 'db-07', status: 'open' });
    expect((await api(t, 'GET', '/alerts?severity=warning')).body.items.map((a: { checkKey: string }) => a.checkKey)).toEqual(['disk']);
    expect((await api(t, 'GET', `/alerts?deviceId=${dev}`)).body.items).toHaveLength(2);
    expect((await api(t, 'GET', '/alerts?q=DB-07')).body.items).toHaveLength(1);
    const page = await api(t, 'GET', '/alerts?limit=2');
    expect(page.body.items).toHaveLength(2);
    const next = await api(t, 'GET', `/alerts?limit=2&cursor=${page.body.nextCursor}`);
    expect(next.body.items).toHaveLength(1);
    expect(next.body.nextCursor).toBeNull();
    expect((await api(t, 'GET', '/alerts/summary')).body).toMatchObject({ open: { critical: 2, warning: 1, info: 0 } });
    expect((await api(t, 'GET', '/alerts?status=bogus')).status).toBe(400);
  });

  it('limits a client-scoped user to their clients, for reading and acting', async () => {
    const scoped = await addUser(t, 'technician', [t.clientId]);
    const list = await api(scoped, 'GET', '/alerts');
    expect(list.body.items.map((a: { deviceId: string }) => a.deviceId)).toEqual([dev, dev]);
    const foreign = (await api(t, 'GET', `/alerts?deviceId=${otherDev}`)).body.items[0].id;
    expect((await api(scoped, 'GET', `/alerts/${foreign}`)).status).toBe(404);
    const res = await api(scoped, 'POST', '/alerts/bulk', { action: 'acknowledge', ids: [foreign] });
    expect(res.body).toEqual({ changed: [], unchanged: [foreign] });
    expect((await api(t, 'GET', `/alerts/${foreign}`)).body.alert.status).toBe('open');
  });

  it('acknowledges in bulk with an audit row, then resolves one with its history', async () => {
    const ids = (await api(t, 'GET', `/alerts?deviceId=${dev}`)).body.items.map((a: { id: string }) => a.id);
    const readonly = await addUser(t, 'readonly');
    expect((await api(readonly, 'POST', '/alerts/bulk', { action: 'acknowledge', ids })).status).toBe(403);
    const ack = await api(t, 'POST', '/alerts/bulk', { action: 'acknowledge', ids, note: 'looking' });
    expect(ack.body.changed.sort()).toEqual([...ids].sort());
    const audit = await env.DB.prepare(`SELECT action, detail FROM audit_log WHERE tenant_id = ? AND action = 'alert.acknowledge'`).bind(t.tenantId).all();
    expect(audit.results).toHaveLength(1);
    const res = await api(t, 'POST', `/alerts/${ids[0]}/resolve`);
    expect(res.body.alert).toMatchObject({ status: 'resolved', resolvedBy: t.userId });
    const detail = await api(t, 'GET', `/alerts/${ids[0]}`);
    expect(detail.body.events.map((e: { kind: string }) => e.kind)).toEqual(['opened', 'acknowledged', 'resolved']);
    expect(detail.body.events[1]).toMatchObject({ actorId: t.userId, detail: { note: 'looking' } });
    expect((await api(t, 'GET', '/alerts?status=resolved')).body.items.map((a: { id: string }) => a.id)).toEqual([ids[0]]);
  });

  it('shows admins how hard the tenant hub works', async () => {
    const stats = await api(t, 'GET', '/diagnostics/tenant-hub');
    expect(stats.status).toBe(200);
    expect(stats.body).toMatchObject({ checkTransitions: expect.any(Number), transitions: expect.any(Number) });
    expect(stats.body.transitions).toBeGreaterThanOrEqual(3);
    expect(stats.body.callsPerSecond).toBeGreaterThan(0);
    const tech = await addUser(t, 'technician');
    expect((await api(tech, 'GET', '/diagnostics/tenant-hub')).status).toBe(403);
  });

  it("answers 404 for another tenant's alert and changes nothing", async () => {
    const stranger = await createTenantDirect();
    const id = (await api(t, 'GET', `/alerts?deviceId=${otherDev}`)).body.items[0].id;
    expect((await api(stranger, 'GET', `/alerts/${id}`)).status).toBe(404);
    expect((await api(stranger, 'POST', `/alerts/${id}/acknowledge`)).status).toBe(404);
    expect((await api(stranger, 'POST', '/alerts/bulk', { action: 'resolve', ids: [id] })).body).toEqual({ changed: [], unchanged: [id] });
    expect((await api(t, 'GET', `/alerts/${id}`)).body.alert.status).toBe('open');
  });
});
