import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import * as v from 'valibot';
import { asc, eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import * as desk from '../db/desk-schema';
import * as schema from '../db/schema';
import { TenantFeedFrame } from '../protocol/live';
import { newId } from '../worker/lib/ids';
import { db, seedDevice, seedTenant, type Fleet } from './testing/fixtures';
import { connectDashboard, tenantHub, type TestSocket } from './testing/sockets';
import { alertRows, seedUser, seedWindow, transition } from './testing/monitoring';
import { seedRule } from './testing/ticket-rules';
import type { TenantHub } from './tenant-hub';

const MIN = 60_000;
const open: TestSocket[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

const ticketsOf = (tenantId: string) => db().select().from(desk.tickets).where(eq(desk.tickets.tenantId, tenantId)).orderBy(asc(desk.tickets.number)).all();
const linksOf = (ticketId: string) => db().select().from(desk.ticketAlerts).where(eq(desk.ticketAlerts.ticketId, ticketId)).all();
const commentsOf = (ticketId: string) => db().select().from(desk.ticketComments).where(eq(desk.ticketComments.ticketId, ticketId)).orderBy(asc(desk.ticketComments.id)).all();
const eventsOf = async (ticketId: string) =>
  (await db().select().from(desk.ticketEvents).where(eq(desk.ticketEvents.ticketId, ticketId)).orderBy(asc(desk.ticketEvents.at), asc(desk.ticketEvents.id)).all()).map((e) => e.kind);

async function setup(clients = 1) {
  const fleet: Fleet = await seedTenant(clients);
  const device = await seedDevice(fleet);
  return { fleet, device, hub: tenantHub(fleet.tenantId) };
}

describe('alert→ticket automation', () => {
  it('opens a ticket for a matching alert: rendered title, mapped priority, linked both ways, fed live', async () => {
    const { fleet, device, hub } = await setup();
    await seedRule(fleet.tenantId, {
      titleTemplate: '{{alert.severity}}: {{alert.checkName}} on {{device.displayName}} ({{client.name}} / {{site.name}})',
      bodyTemplate: '{{alert.message}}\nvalue {{alert.value}} since {{alert.openedAt}}\n{{alert.url}}',
      priorityMap: { critical: 'high', warning: 'normal', info: 'low' },
    });
    // The tenant's default SLA policy, round the clock: due times count from the alert.
    const sla = newId('sla');
    const targets = { high: { firstResponseMinutes: 30, resolutionMinutes: 240 } };
    await db().insert(desk.slaPolicies).values({ id: sla, tenantId: fleet.tenantId, name: 'Default', clientId: null, calendarId: null, targets, createdAt: 1, updatedAt: 1 });
    const dash = await connectDashboard(fleet.tenantId, null);
    open.push(dash);
    await dash.next('hello');
    const t0 = Date.UTC(2026, 5, 1, 12, 0);
    await hub.checkTransitions([transition(device.deviceId, 'breach', t0)]);

    const [alert] = await alertRows(device.deviceId);
    const list = await ticketsOf(fleet.tenantId);
    expect(list).toHaveLength(1);
    const t = list[0]!;
    expect(t).toMatchObject({
      number: 1,
      title: 'critical: CPU high on enrolled-name (Client 0 / HQ)',
      description: `CPU high: 97 %\nvalue 97 since 2026-06-01T12:00:00.000Z\n/alerts/${alert!.id}`,
      priority: 'high',
      status: 'new',
      source: 'alert',
      clientId: device.clientId,
      siteId: fleet.siteIds[0],
      deviceId: device.deviceId,
      dedupKey: `${t.ruleId}:${device.deviceId}:cpu-high`,
      lastAlertAt: t0,
      assigneeId: null,
      slaPolicyId: sla,
      firstResponseDueAt: t0 + 30 * MIN,
      resolutionDueAt: t0 + 240 * MIN,
    });
    expect((await linksOf(t.id)).map((l) => l.alertId)).toEqual([alert!.id]);
    expect(await eventsOf(t.id)).toEqual(['created', 'alert_linked']);
    const frame = await dash.next('ticket');
    expect(frame.ticket).toEqual({ id: t.id, number: 1, title: t.title, status: 'new', priority: 'high', clientId: device.clientId });
    expect(v.safeParse(TenantFeedFrame, frame).issues).toBeUndefined();
  });

  it('a repeat inside the dedup window joins the open ticket; after the window it opens a new one', async () => {
    const { fleet, device, hub } = await setup();
    await seedRule(fleet.tenantId, { dedupMinutes: 60 });
    const t0 = Date.now() - 5 * 60 * MIN;
    await hub.checkTransitions([transition(device.deviceId, 'breach', t0), transition(device.deviceId, 'clear', t0 + MIN)]);
    // Past the flapping window, so a new alert: 20 minutes after the first, inside the hour.
    const t1 = t0 + 20 * MIN;
    await hub.checkTransitions([transition(device.deviceId, 'breach', t1, { message: 'CPU high: 99 %' }), transition(device.deviceId, 'clear', t1 + MIN)]);
    let list = await ticketsOf(fleet.tenantId);
    expect(list).toHaveLength(1);
    const first = list[0]!;
    expect(first.lastAlertAt).toBe(t1);
    expect(await linksOf(first.id)).toHaveLength(2);
    const [repeat] = await commentsOf(first.id);
    expect(repeat).toMatchObject({ authorKind: 'system', internal: true, authorId: null });
    expect(repeat!.body).toMatch(/^Alert repeated: CPU high on enrolled-name \(critical\): CPU high: 99 %/);
    expect(await eventsOf(first.id)).toEqual(['created', 'alert_linked', 'alert_linked']);

    // 61 minutes after the last repeat: a new ticket.
    await hub.checkTransitions([transition(device.deviceId, 'breach', t1 + 61 * MIN)]);
    list = await ticketsOf(fleet.tenantId);
    expect(list).toHaveLength(2);
    expect(list[1]).toMatchObject({ number: 2, dedupKey: first.dedupKey, lastAlertAt: t1 + 61 * MIN });
    expect(await alertRows(device.deviceId)).toHaveLength(3);
  });

  it('a repeat does not join a resolved ticket', async () => {
    const { fleet, device, hub } = await setup();
    await seedRule(fleet.tenantId);
    const t0 = Date.now() - 60 * MIN;
    await hub.checkTransitions([transition(device.deviceId, 'breach', t0), transition(device.deviceId, 'clear', t0 + MIN)]);
    const [first] = await ticketsOf(fleet.tenantId);
    await db().update(desk.tickets).set({ status: 'resolved' }).where(eq(desk.tickets.id, first!.id));
    await hub.checkTransitions([transition(device.deviceId, 'breach', t0 + 20 * MIN)]);
    expect(await ticketsOf(fleet.tenantId)).toHaveLength(2);
  });

  it('records suppressed alerts without a ticket, and opens one when the window ends with the alert still open', async () => {
    const { fleet, device, hub } = await setup();
    await seedRule(fleet.tenantId);
    // Long enough that a busy machine still opens the alert inside the window.
    const ends = Date.now() + 2000;
    await seedWindow(fleet.tenantId, device.clientId, Date.now() - 60 * MIN, ends);
    await hub.configChanged();
    await hub.checkTransitions([transition(device.deviceId, 'breach', Date.now())]);
    expect((await alertRows(device.deviceId))[0]).toMatchObject({ suppressed: true });
    expect(await ticketsOf(fleet.tenantId)).toHaveLength(0);

    await new Promise((r) => setTimeout(r, ends - Date.now() + 50));
    await runDurableObjectAlarm(hub); // maintenance end
    const [alert] = await alertRows(device.deviceId);
    expect(alert).toMatchObject({ suppressed: false, status: 'open' });
    const list = await ticketsOf(fleet.tenantId);
    expect(list).toHaveLength(1);
    expect((await linksOf(list[0]!.id)).map((l) => l.alertId)).toEqual([alert!.id]);
  });

  it('tries enabled rules by position: the first match wins (severity, check type, client, site, tags)', async () => {
    const { fleet, device, hub } = await setup(2);
    const tagged = await seedDevice(fleet);
    await db().insert(schema.deviceTags).values({ tenantId: fleet.tenantId, deviceId: tagged.deviceId, tag: 'servers' });
    const other = await seedDevice(fleet, 1);
    await seedRule(fleet.tenantId, { name: 'disabled', position: 0, enabled: false, titleTemplate: 'disabled' });
    await seedRule(fleet.tenantId, { name: 'servers', position: 1, match: { tags: ['servers'] }, titleTemplate: 'server {{device.hostname}}' });
    await seedRule(fleet.tenantId, { name: 'warnings', position: 2, match: { severities: ['warning'], checkTypes: ['metric'] }, titleTemplate: 'warning' });
    await seedRule(fleet.tenantId, { name: 'client 0', position: 3, match: { clientIds: [fleet.clientIds[0]!], siteIds: [fleet.siteIds[0]!] }, titleTemplate: 'client 0' });
    const now = Date.now();
    await hub.checkTransitions([
      transition(tagged.deviceId, 'breach', now),
      transition(device.deviceId, 'breach', now + 1, { checkKey: 'mem', severity: 'warning' }),
      transition(device.deviceId, 'breach', now + 2, { checkKey: 'disk', checkType: 'disk_free', severity: 'warning' }),
      // Client 1 matches no rule: no ticket.
      transition(other.deviceId, 'breach', now + 3),
    ]);
    const titles = (await ticketsOf(fleet.tenantId)).map((t) => t.title);
    expect(titles).toEqual(['server enrolled-name', 'warning', 'client 0']);
  });

  it('closes the ticket when every linked alert is resolved, and reopens it when the alert flaps back', async () => {
    const { fleet, device, hub } = await setup();
    await seedRule(fleet.tenantId, { closeOnResolve: true, match: { severities: ['critical'] } });
    const t0 = Date.now() - 10 * MIN;
    await hub.checkTransitions([
      transition(device.deviceId, 'breach', t0),
      // A warning on another check matches no rule; a technician links it to the same ticket.
      transition(device.deviceId, 'breach', t0 + 1, { checkKey: 'disk', severity: 'warning' }),
    ]);
    const [ticket] = await ticketsOf(fleet.tenantId);
    const disk = (await alertRows(device.deviceId)).find((a) => a.checkKey === 'disk')!;
    await db().insert(desk.ticketAlerts).values({ tenantId: fleet.tenantId, ticketId: ticket!.id, alertId: disk.id, linkedAt: Date.now() });

    await hub.checkTransitions([transition(device.deviceId, 'clear', t0 + MIN)]);
    expect((await ticketsOf(fleet.tenantId))[0]).toMatchObject({ status: 'new', resolvedAt: null });

    await hub.alertAction('resolve', [disk.id], 'usr_someone');
    const [resolved] = await ticketsOf(fleet.tenantId);
    expect(resolved).toMatchObject({ status: 'resolved' });
    expect(await eventsOf(ticket!.id)).toEqual(['created', 'alert_linked', 'status']);
    const notes = await commentsOf(ticket!.id);
    expect(notes.at(-1)).toMatchObject({ authorKind: 'system', internal: true });
    expect(notes.at(-1)!.body).toMatch(/^Alert resolved: CPU high/);

    // The CPU alert comes back inside the flapping window: the same alert reopens, so does its ticket.
    await hub.checkTransitions([transition(device.deviceId, 'breach', t0 + 2 * MIN)]);
    expect((await ticketsOf(fleet.tenantId))[0]).toMatchObject({ status: 'open', resolvedAt: null });
    expect(await ticketsOf(fleet.tenantId)).toHaveLength(1);
  });

  it('without closeOnResolve the ticket stays open when the alert resolves', async () => {
    const { fleet, device, hub } = await setup();
    await seedRule(fleet.tenantId);
    const t0 = Date.now() - 10 * MIN;
    await hub.checkTransitions([transition(device.deviceId, 'breach', t0), transition(device.deviceId, 'clear', t0 + MIN)]);
    expect((await ticketsOf(fleet.tenantId))[0]).toMatchObject({ status: 'new' });
  });

  it('round robin hands tickets to each user in turn; fixed and by-client assign as configured', async () => {
    const { fleet, device, hub } = await setup(2);
    const alice = await seedUser(fleet.tenantId, 'technician');
    const bob = await seedUser(fleet.tenantId, 'technician');
    const carol = await seedUser(fleet.tenantId, 'admin');
    const other = await seedDevice(fleet, 1);
    await seedRule(fleet.tenantId, { position: 0, dedupMinutes: 0, match: { clientIds: [fleet.clientIds[0]!] }, assignment: { mode: 'round_robin', userIds: [alice, bob] } });
    await seedRule(fleet.tenantId, { position: 1, assignment: { mode: 'by_client', byClient: { [fleet.clientIds[1]!]: carol }, fallbackUserId: null } });
    const now = Date.now();
    const checks = ['a', 'b', 'c'].map((k, i) => transition(device.deviceId, 'breach', now + i, { checkKey: k }));
    await hub.checkTransitions([...checks, transition(other.deviceId, 'breach', now + 5)]);
    const list = await ticketsOf(fleet.tenantId);
    expect(list.map((t) => t.assigneeId)).toEqual([alice, bob, alice, carol]);
  });

  it('skips an assignee who can no longer work the ticket', async () => {
    const { fleet, device, hub } = await setup();
    const gone = await seedUser(fleet.tenantId, 'technician');
    await db().update(schema.users).set({ disabledAt: Date.now() }).where(eq(schema.users.id, gone));
    await seedRule(fleet.tenantId, { assignment: { mode: 'fixed', userId: gone } });
    await hub.checkTransitions([transition(device.deviceId, 'breach', Date.now())]);
    expect((await ticketsOf(fleet.tenantId))[0]).toMatchObject({ assigneeId: null });
  });

  it('processing the same alert twice makes one ticket (listener and scheduled retry are idempotent)', async () => {
    const { fleet, device, hub } = await setup();
    await seedRule(fleet.tenantId);
    const t0 = Date.now();
    await hub.checkTransitions([transition(device.deviceId, 'breach', t0)]);
    await hub.checkTransitions([transition(device.deviceId, 'breach', t0)]);
    const [alert] = await alertRows(device.deviceId);
    await runInDurableObject(hub, async (instance: TenantHub) => {
      // The hub's own automation, driven again exactly as the lifecycle and the schedule would.
      const automation = (instance as unknown as { tickets: { afterChange: Function; retry: Function } }).tickets;
      const active = { ...alert!, siteId: fleet.siteIds[0], condition: 'breach', lastAt: t0, escalationPolicyId: null, repeats: 0, notifiedAt: null, autoResolved: false, hostname: 'enrolled-name' };
      await automation.afterChange(active, [{ kind: 'opened', at: t0 }]);
      await automation.retry(`open:${alert!.id}`, Date.now());
    });
    const list = await ticketsOf(fleet.tenantId);
    expect(list).toHaveLength(1);
    expect(await linksOf(list[0]!.id)).toHaveLength(1);
    expect(await commentsOf(list[0]!.id)).toHaveLength(0);
  });

  it('a step that fails is retried from the hub schedule, not lost', async () => {
    const { fleet, device, hub } = await setup();
    await seedRule(fleet.tenantId);
    // D1 refuses ticket numbers for a moment (the table is out of the way).
    await env.DB.prepare('ALTER TABLE ticket_counters RENAME TO ticket_counters_away').run();
    try {
      await hub.checkTransitions([transition(device.deviceId, 'breach', Date.now())]);
    } finally {
      await env.DB.prepare('ALTER TABLE ticket_counters_away RENAME TO ticket_counters').run();
    }
    const [alert] = await alertRows(device.deviceId);
    expect(alert).toMatchObject({ status: 'open' });
    expect(await ticketsOf(fleet.tenantId)).toHaveLength(0);
    const pending = await runInDurableObject(hub, (_: TenantHub, state) => {
      const rows = state.storage.sql.exec<{ key: string }>("SELECT key FROM schedule WHERE kind = 'ticket'").toArray();
      // Due now rather than in 30 seconds.
      state.storage.sql.exec("UPDATE schedule SET due_at = 0 WHERE kind = 'ticket'");
      return rows.map((r) => r.key);
    });
    expect(pending).toEqual([`ticket:open:${alert!.id}`]);
    await runDurableObjectAlarm(hub);
    const list = await ticketsOf(fleet.tenantId);
    expect(list).toHaveLength(1);
    expect((await linksOf(list[0]!.id)).map((l) => l.alertId)).toEqual([alert!.id]);
    const left = await runInDurableObject(hub, (_: TenantHub, state) => state.storage.sql.exec("SELECT key FROM schedule WHERE kind = 'ticket'").toArray());
    expect(left).toEqual([]);
  });

  it('picks up rule changes through configChanged', async () => {
    const { fleet, device, hub } = await setup();
    await hub.checkTransitions([transition(device.deviceId, 'breach', Date.now(), { checkKey: 'first' })]);
    expect(await ticketsOf(fleet.tenantId)).toHaveLength(0);
    await seedRule(fleet.tenantId);
    await hub.configChanged();
    await hub.checkTransitions([transition(device.deviceId, 'breach', Date.now() + 1, { checkKey: 'second' })]);
    expect(await ticketsOf(fleet.tenantId)).toHaveLength(1);
  });
});
