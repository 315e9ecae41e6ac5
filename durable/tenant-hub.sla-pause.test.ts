import { runDurableObjectAlarm } from 'cloudflare:test';
import { and, asc, eq, like } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import * as desk from '../db/desk-schema';
import { api, createTenantDirect, type DirectTenant } from '../test/support';
import { db } from './testing/fixtures';
import { tenantHub } from './testing/sockets';
import { forceJob, slaJobs, ticketRow, travel } from './testing/sla';

/*
 * SLA clocks while a ticket is pending: the resolution clock stops (no breach fires), the
 * first-response clock runs on, and leaving `pending` moves the resolution due time later by
 * the business time spent pending, with the hub's timer re-armed for it.
 */

const MIN = 60_000;
const TARGETS = { normal: { firstResponseMinutes: 60, resolutionMinutes: 240 } };
const nineToFive: [number, number][][] = [[], [[540, 1020]], [[540, 1020]], [[540, 1020]], [[540, 1020]], [[540, 1020]], []];

async function setup(calendar = false) {
  const t = await createTenantDirect();
  const calendarId = calendar ? (await api(t, 'POST', '/business-calendars', { name: 'Office', timezone: 'UTC', hours: nineToFive })).body.id : null;
  expect((await api(t, 'POST', '/sla-policies', { name: 'Standard', targets: TARGETS, calendarId })).status).toBe(201);
  return { t, hub: tenantHub(t.tenantId) };
}

const openTicket = async (t: DirectTenant) => {
  const res = await api(t, 'POST', '/tickets', { clientId: t.clientId, title: 'Printer on fire' });
  expect(res.status).toBe(201);
  return res.body as { id: string; createdAt: number; firstResponseDueAt: number; resolutionDueAt: number };
};
const patch = (t: DirectTenant, id: string, body: Record<string, unknown>) => api(t, 'PATCH', `/tickets/${id}`, body);
const historyOf = async (id: string) =>
  (
    await db()
      .select()
      .from(desk.ticketEvents)
      .where(and(eq(desk.ticketEvents.ticketId, id), like(desk.ticketEvents.kind, 'sla_%')))
      .orderBy(asc(desk.ticketEvents.id))
      .all()
  ).map((e) => ({ kind: e.kind, detail: e.detail as Record<string, unknown> }));

describe('SLA pause while pending', () => {
  it('pending stops the resolution clock only: no resolution breach, the first response still breaches', async () => {
    const { t, hub } = await setup();
    const ticket = await openTicket(t);
    const res = await patch(t, ticket.id, { status: 'pending' });
    expect(res.status).toBe(200);
    expect(res.body.slaPausedAt).toBeGreaterThanOrEqual(ticket.createdAt);
    expect((await api(t, 'GET', `/tickets/${ticket.id}`)).body.ticket.slaPausedAt).toBe(res.body.slaPausedAt);
    expect(await slaJobs(hub, ticket.id)).toEqual({ first_response: ticket.firstResponseDueAt });
    expect(await historyOf(ticket.id)).toEqual([{ kind: 'sla_paused', detail: { resolutionDueAt: ticket.resolutionDueAt } }]);

    // Five hours on: both targets lie in the past, and a stale resolution timer fires too.
    await travel(hub, ticket.id, 5 * 60 * MIN);
    await forceJob(hub, 'resolution', ticket.id);
    expect(await runDurableObjectAlarm(hub)).toBe(true);
    const row = await ticketRow(ticket.id);
    expect(row.firstResponseBreachedAt).not.toBeNull();
    expect(row.resolutionBreachedAt).toBeNull();
    expect((await historyOf(ticket.id)).map((e) => e.kind)).toEqual(['sla_paused', 'sla_breached']);
    expect((await historyOf(ticket.id))[1]!.detail).toMatchObject({ clock: 'first_response' });
  });

  it('leaving pending moves the resolution due time by the pause and re-arms the timer', async () => {
    const { t, hub } = await setup();
    const ticket = await openTicket(t);
    // Answered at once: only the resolution clock is left to watch.
    expect((await api(t, 'POST', `/tickets/${ticket.id}/comments`, { body: 'Can you send a photo?', internal: false })).status).toBe(201);
    expect((await patch(t, ticket.id, { status: 'pending' })).status).toBe(200);
    // Opened three hours ago, pending for the last 90 minutes of them.
    await travel(hub, ticket.id, 180 * MIN);
    const before = await ticketRow(ticket.id);
    await db().update(desk.tickets).set({ slaPausedAt: Date.now() - 90 * MIN }).where(eq(desk.tickets.id, ticket.id));

    const res = await patch(t, ticket.id, { status: 'open' });
    expect(res.status).toBe(200);
    expect(res.body.slaPausedAt).toBeNull();
    expect(res.body.resolutionDueAt).toBe(before.resolutionDueAt! + 90 * MIN);
    expect(res.body.firstResponseDueAt).toBe(before.firstResponseDueAt);
    expect(await slaJobs(hub, ticket.id)).toEqual({ resolution: before.resolutionDueAt! + 90 * MIN });
    expect((await ticketRow(ticket.id)).slaPausedMinutes).toBe(90);
    const resumed = (await historyOf(ticket.id)).find((e) => e.kind === 'sla_resumed');
    expect(resumed?.detail).toMatchObject({ pausedMinutes: 90, resolutionDueAt: { from: before.resolutionDueAt, to: before.resolutionDueAt! + 90 * MIN } });

    // Past the old due time, before the new one: no resolution breach.
    await travel(hub, ticket.id, 90 * MIN);
    await forceJob(hub, 'resolution', ticket.id);
    await runDurableObjectAlarm(hub);
    expect((await ticketRow(ticket.id)).resolutionBreachedAt).toBeNull();
    // A priority change keeps the time spent pending off the clock (high has no target here).
    expect((await patch(t, ticket.id, { priority: 'high' })).body.resolutionDueAt).toBeNull();
    expect(await slaJobs(hub, ticket.id)).toEqual({});
    expect((await patch(t, ticket.id, { priority: 'normal' })).body.resolutionDueAt).toBe((await ticketRow(ticket.id)).createdAt + (240 + 90) * MIN);
  });

  it('a pause ended outside the API (a customer reply) counts business minutes only', async () => {
    const { t, hub } = await setup(true);
    const ticket = await openTicket(t);
    expect((await patch(t, ticket.id, { status: 'pending' })).status).toBe(200);
    // Pending from Friday 16:00 to Monday 10:00: the night and the weekend do not count.
    const friday = Date.parse('2030-01-04T16:00:00Z');
    const monday = Date.parse('2030-01-07T10:00:00Z');
    const due = Date.parse('2030-01-07T12:00:00Z');
    await db().update(desk.tickets).set({ slaPausedAt: friday, resolutionDueAt: due, status: 'open' }).where(eq(desk.tickets.id, ticket.id));
    const told = await hub.ticketChanged({ ticketId: ticket.id, kind: 'updated', changes: [{ field: 'status', from: 'pending', to: 'open' }], actorId: null, at: monday });
    expect(told).toEqual({ applied: true });
    const row = await ticketRow(ticket.id);
    expect(row).toMatchObject({ slaPausedAt: null, slaPausedMinutes: 120, resolutionDueAt: Date.parse('2030-01-07T14:00:00Z') });
    expect((await slaJobs(hub, ticket.id)).resolution).toBe(Date.parse('2030-01-07T14:00:00Z'));
    // Told again (a retried call): nothing moves twice.
    await hub.ticketChanged({ ticketId: ticket.id, kind: 'updated', changes: [{ field: 'status', from: 'pending', to: 'open' }], actorId: null, at: monday });
    expect((await ticketRow(ticket.id)).resolutionDueAt).toBe(Date.parse('2030-01-07T14:00:00Z'));
    expect((await historyOf(ticket.id)).map((e) => e.kind)).toEqual(['sla_paused', 'sla_resumed']);
  });

  it('resolving straight from pending stops everything', async () => {
    const { t, hub } = await setup();
    const ticket = await openTicket(t);
    expect((await patch(t, ticket.id, { status: 'pending' })).status).toBe(200);
    const res = await patch(t, ticket.id, { status: 'resolved' });
    expect(res.body).toMatchObject({ status: 'resolved', slaPausedAt: null });
    expect(await slaJobs(hub, ticket.id)).toEqual({});
    expect((await historyOf(ticket.id)).map((e) => e.kind)).toEqual(['sla_paused', 'sla_resumed']);
    await travel(hub, ticket.id, 5 * 60 * MIN);
    await forceJob(hub, 'first_response', ticket.id);
    await forceJob(hub, 'resolution', ticket.id);
    await runDurableObjectAlarm(hub);
    expect(await ticketRow(ticket.id)).toMatchObject({ firstResponseBreachedAt: null, resolutionBreachedAt: null });
    expect((await historyOf(ticket.id)).map((e) => e.kind)).toEqual(['sla_paused', 'sla_resumed']);
  });
});
