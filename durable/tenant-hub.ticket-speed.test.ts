import { asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import * as desk from '../db/desk-schema';
import { api, createTenantDirect } from '../test/support';
import { db, seedDevice } from './testing/fixtures';
import { tenantHub } from './testing/sockets';
import { transition } from './testing/monitoring';
import { seedRule } from './testing/ticket-rules';

/*
 * The hub keeps SLA policies and calendars in memory for the tickets its alert rules open,
 * and numbers a ticket inside the batch that writes it: a policy changed through the API
 * must time the very next ticket, and numbers must stay one apart.
 */

const MIN = 60_000;

async function setup() {
  const t = await createTenantDirect();
  const fleet = { tenantId: t.tenantId, clientIds: [t.clientId], siteIds: [t.siteId] };
  await seedRule(t.tenantId, { name: 'All alerts', priorityMap: { critical: 'high', warning: 'normal', info: 'low' }, closeOnResolve: true });
  const hub = tenantHub(t.tenantId);
  /** An alert on a new device (so no dedup) and the ticket the rule opened for it. */
  const alertTicket = async (at: number) => {
    const device = await seedDevice(fleet);
    await hub.checkTransitions([transition(device.deviceId, 'breach', at)]);
    const rows = await db().select().from(desk.tickets).where(eq(desk.tickets.deviceId, device.deviceId)).all();
    expect(rows).toHaveLength(1);
    return rows[0]!;
  };
  return { t, hub, alertTicket };
}

const ticketsOf = (tenantId: string) => db().select().from(desk.tickets).where(eq(desk.tickets.tenantId, tenantId)).orderBy(asc(desk.tickets.number)).all();

describe('ticket automation from memory', () => {
  it('an SLA policy created, changed or deleted through the API times the next alert ticket', async () => {
    const { t, alertTicket } = await setup();
    const before = await alertTicket(Date.now());
    expect(before.slaPolicyId).toBeNull();

    const created = await api(t, 'POST', '/sla-policies', { name: 'Standard', targets: { high: { firstResponseMinutes: 30, resolutionMinutes: 240 } } });
    expect(created.status).toBe(201);
    const at1 = Date.now();
    const first = await alertTicket(at1);
    expect(first).toMatchObject({ slaPolicyId: created.body.id, firstResponseDueAt: at1 + 30 * MIN, resolutionDueAt: at1 + 240 * MIN });

    expect((await api(t, 'PATCH', `/sla-policies/${created.body.id}`, { targets: { high: { firstResponseMinutes: 5, resolutionMinutes: 60 } } })).status).toBe(200);
    const at2 = Date.now();
    expect(await alertTicket(at2)).toMatchObject({ firstResponseDueAt: at2 + 5 * MIN, resolutionDueAt: at2 + 60 * MIN });

    expect((await api(t, 'DELETE', `/sla-policies/${created.body.id}`)).status).toBe(204);
    expect(await alertTicket(Date.now())).toMatchObject({ slaPolicyId: null, firstResponseDueAt: null, resolutionDueAt: null });
  });

  it('a business calendar changed through the API times the next alert ticket', async () => {
    const { t, alertTicket } = await setup();
    const allDay = Array.from({ length: 7 }, () => [[0, 1440]]);
    const cal = await api(t, 'POST', '/business-calendars', { name: 'Always', timezone: 'UTC', hours: allDay });
    expect(cal.status, JSON.stringify(cal.body)).toBe(201);
    const policy = await api(t, 'POST', '/sla-policies', { name: 'Standard', calendarId: cal.body.id, targets: { high: { firstResponseMinutes: 30, resolutionMinutes: 240 } } });
    expect(policy.status, JSON.stringify(policy.body)).toBe(201);
    const at1 = Date.now();
    expect(await alertTicket(at1)).toMatchObject({ slaPolicyId: policy.body.id, firstResponseDueAt: at1 + 30 * MIN });

    // A calendar without working hours never reaches a due time.
    const closed = Array.from({ length: 7 }, () => []);
    expect((await api(t, 'PATCH', `/business-calendars/${cal.body.id}`, { hours: closed })).status).toBe(200);
    expect(await alertTicket(Date.now())).toMatchObject({ slaPolicyId: policy.body.id, firstResponseDueAt: null });
  });

  it('tickets opened by alerts and by hand are numbered one apart, with their events', async () => {
    const { t, alertTicket } = await setup();
    await alertTicket(Date.now());
    expect((await api(t, 'POST', '/tickets', { clientId: t.clientId, title: 'By hand' })).status).toBe(201);
    await alertTicket(Date.now());
    const rows = await ticketsOf(t.tenantId);
    expect(rows.map((r) => r.number)).toEqual([1, 2, 3]);
    for (const r of rows) {
      const events = await db().select().from(desk.ticketEvents).where(eq(desk.ticketEvents.ticketId, r.id)).orderBy(asc(desk.ticketEvents.id)).all();
      expect(events.map((e) => e.kind)).toEqual(r.source === 'alert' ? ['created', 'alert_linked'] : ['created']);
    }
  });
});
