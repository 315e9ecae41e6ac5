import { beforeAll, describe, expect, it } from 'vitest';
import { addUser, api, bootstrapTenant, createTenantDirect, insertDevice, type BootstrappedTenant } from '../../test/support';
import { auditActions } from '../../test/checks';
import { insertAlert } from '../../test/desk';

/* "Create ticket" by hand from an alert: what it takes from the alert, the link both ways, once only. */

let t: BootstrappedTenant;
let dev: string;

beforeAll(async () => {
  t = await bootstrapTenant();
  dev = await insertDevice(t, { hostname: 'web-01' });
});

describe('POST /alerts/:id/ticket', () => {
  it('opens a ticket from the alert, linked both ways, and answers 409 with it the second time', async () => {
    const alertId = await insertAlert(t, dev, 'critical');
    const res = await api(t, 'POST', `/alerts/${alertId}/ticket`);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ source: 'alert', priority: 'urgent', clientId: t.clientId, siteId: t.siteId, deviceId: dev, title: 'CPU high on web-01', description: 'CPU at 97%', status: 'new' });
    const again = await api(t, 'POST', `/alerts/${alertId}/ticket`);
    expect(again.status).toBe(409);
    expect(again.body.ticketId).toBe(res.body.id);
    expect((await api(t, 'GET', `/alerts/${alertId}`)).body.ticketId).toBe(res.body.id);
    const detail = (await api(t, 'GET', `/tickets/${res.body.id}`)).body;
    expect(detail.alerts).toEqual([expect.objectContaining({ id: alertId, severity: 'critical', checkName: 'CPU high' })]);
    expect(detail.events.map((e: { kind: string }) => e.kind)).toEqual(['created', 'alert_linked']);
    expect(await auditActions(res.body.id)).toEqual(['ticket.create']);
    expect((await api(t, 'GET', '/tickets?source=alert')).body.items.map((i: { id: string }) => i.id)).toEqual([res.body.id]);
  });

  it('maps warning to high and info to normal; an alert without a ticket shows ticketId null', async () => {
    const warning = await insertAlert(t, dev, 'warning');
    const info = await insertAlert(t, dev, 'info');
    expect((await api(t, 'GET', `/alerts/${info}`)).body.ticketId).toBeNull();
    expect((await api(t, 'POST', `/alerts/${warning}/ticket`)).body.priority).toBe('high');
    expect((await api(t, 'POST', `/alerts/${info}/ticket`)).body.priority).toBe('normal');
  });

  it('is refused to read-only users, other clients’ technicians and other tenants', async () => {
    const alertId = await insertAlert(t, dev, 'warning');
    expect((await api(await addUser(t, 'readonly'), 'POST', `/alerts/${alertId}/ticket`)).status).toBe(403);
    const otherClient = (await api(t, 'POST', '/clients', { name: 'Elsewhere' })).body.id;
    expect((await api(await addUser(t, 'technician', [otherClient]), 'POST', `/alerts/${alertId}/ticket`)).status).toBe(404);
    expect((await api(await createTenantDirect(), 'POST', `/alerts/${alertId}/ticket`)).status).toBe(404);
    expect((await api(t, 'GET', `/alerts/${alertId}`)).body.ticketId).toBeNull();
  });
});
