import { env, runDurableObjectAlarm } from 'cloudflare:test';
import * as v from 'valibot';
import { and, asc, eq, like } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import * as desk from '../db/desk-schema';
import * as schema from '../db/schema';
import { deliveries, integrations, notificationPolicies } from '../db/integrations-schema';
import { sealConfig } from '../worker/lib/integrations/config';
import { IntegrationEvent } from '../protocol/api/integrations';
import { TenantFeedFrame } from '../protocol/live';
import { newId } from '../worker/lib/ids';
import { addUser, api, createTenantDirect, type DirectTenant } from '../test/support';
import { receivedAt, receiverTarget } from '../test/receiver-client';
import { db, seedDevice, seedTenant } from './testing/fixtures';
import { connectDashboard, eventually, tenantHub, type TestSocket } from './testing/sockets';
import { transition } from './testing/monitoring';
import { seedRule } from './testing/ticket-rules';
import { forceJob, slaJobs, ticketRow, travel } from './testing/sla';

/*
 * Ticket changes reaching the TenantHub: SLA breach timers (set on create, moved by a
 * priority change, dropped by a reply or a resolution, fired once) and the ticket.* events
 * sent to integrations for changes made by hand and by the alert automation.
 */

const MIN = 60_000;
const sockets: TestSocket[] = [];
afterEach(() => {
  for (const s of sockets.splice(0)) s.close();
});

const TARGETS = {
  normal: { firstResponseMinutes: 60, resolutionMinutes: 240 },
  urgent: { firstResponseMinutes: 15, resolutionMinutes: 60 },
};

/** A tenant with a round-the-clock default SLA policy and a webhook integration that receives `events`. */
async function setup(events: string[]) {
  const t = await createTenantDirect();
  expect((await api(t, 'POST', '/sla-policies', { name: 'Standard', targets: TARGETS })).status).toBe(201);
  const target = receiverTarget('desk');
  const itg = await api(t, 'POST', '/integrations', { kind: 'webhook', name: 'PSA', config: { url: target.url, secret: 'whsec_desk-test-secret-0123456789' } });
  expect(itg.status).toBe(201);
  const pol = await api(t, 'POST', '/notification-policies', { name: 'Desk', events, integrationIds: [itg.body.id] });
  expect(pol.status).toBe(201);
  return { t, target, integrationId: itg.body.id as string, hub: tenantHub(t.tenantId) };
}

const openTicket = async (t: DirectTenant, body: Record<string, unknown> = {}) => {
  const res = await api(t, 'POST', '/tickets', { clientId: t.clientId, title: 'Printer on fire', ...body });
  expect(res.status).toBe(201);
  return res.body as { id: string; number: number; firstResponseDueAt: number; resolutionDueAt: number; createdAt: number };
};

const breachEvents = (id: string) =>
  db()
    .select()
    .from(desk.ticketEvents)
    .where(and(eq(desk.ticketEvents.ticketId, id), eq(desk.ticketEvents.kind, 'sla_breached')))
    .orderBy(asc(desk.ticketEvents.id))
    .all();
const notificationsOf = (tenantId: string) =>
  db().select().from(schema.notifications).where(eq(schema.notifications.tenantId, tenantId)).orderBy(asc(schema.notifications.id)).all();
const deliveriesOf = (integrationId: string) =>
  db().select().from(deliveries).where(eq(deliveries.integrationId, integrationId)).orderBy(asc(deliveries.createdAt), asc(deliveries.event)).all();

const received = (path: string, count: number) =>
  eventually(async () => {
    const r = await receivedAt(path);
    if (r.length < count) throw new Error(`${r.length} of ${count} requests so far`);
    return r.map((x) => v.parse(IntegrationEvent, JSON.parse(x.body)));
  });

describe('SLA breach timers', () => {
  it('a ticket opened through the API breaches its first response once: mark, history, notification, webhook', async () => {
    const { t, target, integrationId, hub } = await setup(['ticket.sla_breached']);
    const dash = await connectDashboard(t.tenantId, null, t.userId);
    sockets.push(dash);
    await dash.next('hello');
    const ticket = await openTicket(t);
    expect(ticket.firstResponseDueAt).toBe(ticket.createdAt + 60 * MIN);
    // The API told the hub: one timer per clock, at the due times.
    expect(await slaJobs(hub, ticket.id)).toEqual({ first_response: ticket.firstResponseDueAt, resolution: ticket.resolutionDueAt });

    await travel(hub, ticket.id, 61 * MIN);
    await runDurableObjectAlarm(hub);
    await runDurableObjectAlarm(hub);

    const row = await ticketRow(ticket.id);
    expect(row.firstResponseBreachedAt).toBeGreaterThan(row.firstResponseDueAt!);
    expect(row.resolutionBreachedAt).toBeNull();
    const history = await breachEvents(ticket.id);
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ tenantId: t.tenantId, actorId: null, detail: { clock: 'first_response', dueAt: row.firstResponseDueAt } });
    // Unassigned: the tenant's admins and owners hear of it (here the owner alone), once.
    const notes = await notificationsOf(t.tenantId);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ userId: t.userId, alertId: null, title: `SLA breached: #${ticket.number} Printer on fire` });
    expect(notes[0]!.body).toContain('first response');
    const frame = await dash.next('notification');
    expect(v.safeParse(TenantFeedFrame, frame).success).toBe(true);
    expect(frame).toMatchObject({ userId: t.userId, notification: { id: notes[0]!.id, alertId: null } });

    const [event] = await received(target.path, 1);
    expect(event).toMatchObject({
      type: 'ticket.sla_breached',
      tenantId: t.tenantId,
      clientId: t.clientId,
      data: { clock: 'first_response', dueAt: row.firstResponseDueAt, ticket: { id: ticket.id, number: ticket.number, status: 'new', priority: 'normal', clientName: 'Internal' } },
    });
    expect(await deliveriesOf(integrationId)).toHaveLength(1);
    // The resolution clock still runs; the first-response one is done.
    expect(await slaJobs(hub, ticket.id)).toEqual({ resolution: row.resolutionDueAt });

    // A job that fires again (an alarm run twice) finds the mark and adds nothing.
    await forceJob(hub, 'first_response', ticket.id);
    await runDurableObjectAlarm(hub);
    expect(await breachEvents(ticket.id)).toHaveLength(1);
    expect(await notificationsOf(t.tenantId)).toHaveLength(1);
    expect(await deliveriesOf(integrationId)).toHaveLength(1);
    expect(dash.all('notification')).toHaveLength(1);
  });

  it('an assigned ticket notifies its assignee only', async () => {
    const { t, hub } = await setup(['ticket.sla_breached']);
    const tech = await addUser(t, 'technician');
    await addUser(t, 'admin');
    const ticket = await openTicket(t, { assigneeId: tech.userId, priority: 'urgent' });
    await travel(hub, ticket.id, 16 * MIN);
    await runDurableObjectAlarm(hub);
    expect((await notificationsOf(t.tenantId)).map((n) => n.userId)).toEqual([tech.userId]);
  });

  it('a ticket answered in time does not breach its first response', async () => {
    const { t, target, hub } = await setup(['ticket.sla_breached']);
    const ticket = await openTicket(t);
    // An internal note is not a response: the timer stays.
    expect((await api(t, 'POST', `/tickets/${ticket.id}/comments`, { body: 'looking', internal: true })).status).toBe(201);
    expect(Object.keys(await slaJobs(hub, ticket.id))).toEqual(expect.arrayContaining(['first_response']));
    expect((await api(t, 'POST', `/tickets/${ticket.id}/comments`, { body: 'On it.', internal: false })).status).toBe(201);
    expect(await slaJobs(hub, ticket.id)).toEqual({ resolution: ticket.resolutionDueAt });

    await travel(hub, ticket.id, 61 * MIN);
    // Even a timer the hub kept (a missed call) re-reads the ticket and stands down.
    await forceJob(hub, 'first_response', ticket.id);
    await runDurableObjectAlarm(hub);
    const row = await ticketRow(ticket.id);
    expect(row.firstResponseAt).not.toBeNull();
    expect(row.firstResponseBreachedAt).toBeNull();
    expect(await breachEvents(ticket.id)).toHaveLength(0);
    expect(await notificationsOf(t.tenantId)).toHaveLength(0);
    expect(await receivedAt(target.path)).toHaveLength(0);
  });

  it('a resolved ticket does not breach its resolution; reopened, its timer comes back', async () => {
    const { t, hub } = await setup(['ticket.sla_breached']);
    const ticket = await openTicket(t);
    expect((await api(t, 'PATCH', `/tickets/${ticket.id}`, { status: 'resolved' })).status).toBe(200);
    expect(await slaJobs(hub, ticket.id)).toEqual({});

    await travel(hub, ticket.id, 5 * 60 * MIN);
    await forceJob(hub, 'resolution', ticket.id);
    await runDurableObjectAlarm(hub);
    const row = await ticketRow(ticket.id);
    expect(row).toMatchObject({ status: 'resolved', resolutionBreachedAt: null, firstResponseBreachedAt: null });
    expect(await breachEvents(ticket.id)).toHaveLength(0);
    expect(await notificationsOf(t.tenantId)).toHaveLength(0);

    // Reopened after its due times passed: both clocks breach on the next alarm.
    expect((await api(t, 'PATCH', `/tickets/${ticket.id}`, { status: 'open' })).status).toBe(200);
    expect(Object.keys(await slaJobs(hub, ticket.id)).sort()).toEqual(['first_response', 'resolution']);
    await runDurableObjectAlarm(hub);
    expect((await breachEvents(ticket.id)).map((e) => (e.detail as { clock: string }).clock).sort()).toEqual(['first_response', 'resolution']);
  });

  it('a priority change moves the timers to the recomputed due times', async () => {
    const { t, hub } = await setup(['ticket.sla_breached']);
    const ticket = await openTicket(t);
    await travel(hub, ticket.id, 20 * MIN);
    // Normal priority: 60 minutes, not yet due.
    await runDurableObjectAlarm(hub);
    expect((await ticketRow(ticket.id)).firstResponseBreachedAt).toBeNull();

    const raised = await api(t, 'PATCH', `/tickets/${ticket.id}`, { priority: 'urgent' });
    expect(raised.status).toBe(200);
    const row = await ticketRow(ticket.id);
    expect(row.firstResponseDueAt).toBe(row.createdAt + 15 * MIN);
    expect(await slaJobs(hub, ticket.id)).toEqual({ first_response: row.firstResponseDueAt, resolution: row.resolutionDueAt });
    // Urgent: 15 minutes from creation, already past.
    await runDurableObjectAlarm(hub);
    const breached = await ticketRow(ticket.id);
    expect(breached.firstResponseBreachedAt).not.toBeNull();
    expect(breached.resolutionBreachedAt).toBeNull();
    expect(await breachEvents(ticket.id)).toHaveLength(1);

    // Back to normal: new targets are judged afresh (the mark is cleared, the timer set again).
    expect((await api(t, 'PATCH', `/tickets/${ticket.id}`, { priority: 'normal' })).status).toBe(200);
    const lowered = await ticketRow(ticket.id);
    expect(lowered.firstResponseBreachedAt).toBeNull();
    expect(await slaJobs(hub, ticket.id)).toEqual({ first_response: lowered.createdAt + 60 * MIN, resolution: lowered.resolutionDueAt });
  });
});

describe('ticket events to integrations', () => {
  it('a ticket opened and changed by hand is sent as ticket.created and ticket.updated, and fed live', async () => {
    const { t, target, integrationId, hub } = await setup(['ticket.created', 'ticket.updated']);
    const tech = await addUser(t, 'technician');
    const dash = await connectDashboard(t.tenantId, null, t.userId);
    sockets.push(dash);
    await dash.next('hello');
    const ticket = await openTicket(t, { priority: 'high' });
    const created = await dash.next('ticket');
    expect(created.ticket).toEqual({ id: ticket.id, number: ticket.number, title: 'Printer on fire', status: 'new', priority: 'high', clientId: t.clientId });

    expect((await api(t, 'PATCH', `/tickets/${ticket.id}`, { status: 'open', assigneeId: tech.userId })).status).toBe(200);
    expect((await dash.next('ticket')).ticket).toMatchObject({ id: ticket.id, status: 'open' });
    // A new title and a comment are not news for integrations.
    expect((await api(t, 'PATCH', `/tickets/${ticket.id}`, { title: 'Printer still on fire' })).status).toBe(200);
    expect((await api(t, 'POST', `/tickets/${ticket.id}/comments`, { body: 'Extinguisher fetched', internal: false })).status).toBe(201);
    await runDurableObjectAlarm(hub);

    const events = await received(target.path, 2);
    expect(events.map((e) => e.type)).toEqual(['ticket.created', 'ticket.updated']);
    expect(events[0]).toMatchObject({
      clientId: t.clientId,
      data: { ticket: { id: ticket.id, number: ticket.number, status: 'new', priority: 'high', clientName: 'Internal', assigneeId: null }, actor: { id: t.userId } },
    });
    expect(events[1]!.data).toMatchObject({
      ticket: { status: 'open', assigneeId: tech.userId },
      changes: [
        { field: 'status', from: 'new', to: 'open' },
        { field: 'assignee', from: null, to: tech.userId },
      ],
    });
    expect(await deliveriesOf(integrationId)).toHaveLength(2);
    expect((await receivedAt(target.path)).length).toBe(2);
  });

  it('a ticket the alert automation opens is sent as ticket.created and gets its SLA timers', async () => {
    const fleet = await seedTenant();
    const device = await seedDevice(fleet);
    const hub = tenantHub(fleet.tenantId);
    const now = Date.now();
    const target = receiverTarget('auto');
    // Straight to D1 (this tenant has no API user): policy, rule, integration and route.
    await db()
      .insert(desk.slaPolicies)
      .values({ id: newId('sla'), tenantId: fleet.tenantId, name: 'Default', clientId: null, calendarId: null, targets: { high: { firstResponseMinutes: 30, resolutionMinutes: 240 } }, createdAt: now, updatedAt: now });
    await seedRule(fleet.tenantId, { name: 'All alerts', priorityMap: { critical: 'high', warning: 'normal', info: 'low' }, closeOnResolve: true });
    const integrationId = newId('itg');
    await db()
      .insert(integrations)
      .values({ id: integrationId, tenantId: fleet.tenantId, kind: 'webhook', name: 'PSA', enabled: true, configEnc: await sealConfig(env.TETHER_MASTER_KEY, { url: target.url, secret: 'whsec_auto-test-secret-0123456789' }), configHint: 'x', createdBy: 'usr_t', createdAt: now, updatedAt: now });
    await db()
      .insert(notificationPolicies)
      .values({ id: newId('ntp'), tenantId: fleet.tenantId, name: 'Desk', enabled: true, events: ['ticket.created', 'ticket.updated'], severities: [], clientIds: null, timeOfDay: null, integrationIds: [integrationId], createdAt: now, updatedAt: now });

    await hub.checkTransitions([transition(device.deviceId, 'breach', now)]);
    const [ticket] = await db().select().from(desk.tickets).where(eq(desk.tickets.tenantId, fleet.tenantId)).all();
    expect(ticket).toBeDefined();
    expect(await slaJobs(hub, ticket!.id)).toEqual({ first_response: now + 30 * MIN, resolution: now + 240 * MIN });
    // The alert clears: the rule resolves the ticket, the timers go and integrations hear of it.
    await hub.checkTransitions([transition(device.deviceId, 'clear', now + 1000)]);
    expect((await ticketRow(ticket!.id)).status).toBe('resolved');
    expect(await slaJobs(hub, ticket!.id)).toEqual({});
    await runDurableObjectAlarm(hub);
    const events = await received(target.path, 2);
    expect(events.map((e) => e.type)).toEqual(['ticket.created', 'ticket.updated']);
    expect(events[0]!.data).toMatchObject({ ticket: { id: ticket!.id, status: 'new', priority: 'high', clientName: 'Client 0' } });
    expect(events[0]!.data.actor).toBeUndefined();
    expect(events[1]!.data).toMatchObject({ changes: [{ field: 'status', from: 'new', to: 'resolved' }] });
    expect(await db().select().from(deliveries).where(like(deliveries.eventId, `${ticket!.id}:%`)).all()).toHaveLength(2);
  });

  it('the hub refuses a malformed change and ignores another tenant\'s ticket', async () => {
    const { t, target, hub } = await setup(['ticket.created', 'ticket.updated']);
    const ticket = await openTicket(t);
    const other = await setup(['ticket.created', 'ticket.updated']);
    expect(await other.hub.ticketChanged({ ticketId: '', kind: 'created', actorId: null, at: Date.now() })).toEqual({ applied: false });
    expect(await other.hub.ticketChanged({ ticketId: ticket.id, kind: 'moved' as 'created', actorId: null, at: Date.now() })).toEqual({ applied: false });
    // A ticket id of tenant A told to tenant B's hub: B reads it scoped to B, finds nothing.
    expect(await other.hub.ticketChanged({ ticketId: ticket.id, kind: 'created', actorId: null, at: Date.now() })).toEqual({ applied: false });
    expect(await hub.ticketChanged({ ticketId: ticket.id, kind: 'responded', actorId: t.userId, at: Date.now() })).toEqual({ applied: true });
    expect(await slaJobs(other.hub, ticket.id)).toEqual({});
    await runDurableObjectAlarm(other.hub);
    await runDurableObjectAlarm(hub);
    expect(await receivedAt(other.target.path)).toHaveLength(0);
    expect((await received(target.path, 1)).map((e) => e.type)).toEqual(['ticket.created']);
  });
});
