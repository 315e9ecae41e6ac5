import { beforeAll, describe, expect, it } from 'vitest';
import { addUser, api, bootstrapTenant, createTenantDirect, type BootstrappedTenant } from '../../test/support';
import { auditActions } from '../../test/checks';

/* Business calendars and SLA policies, and the due times tickets get from them. */

let t: BootstrappedTenant;
let globex: string;
let calendarId: string;
let defaultPolicy: string;

const DAY = 86_400_000;
const nineToFive: [number, number][][] = [[], [[540, 1020]], [[540, 1020]], [[540, 1020]], [[540, 1020]], [[540, 1020]], []];
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The first Monday at least three days ahead (so a weekend lies between now and it), and
 * every weekday before it as a holiday: a ticket opened now starts its clock Monday 09:00 UTC.
 */
function mondayAhead() {
  const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
  let monday = today + 3 * DAY;
  while (new Date(monday).getUTCDay() !== 1) monday += DAY;
  const holidays: string[] = [];
  for (let d = today - DAY; d < monday; d += DAY) holidays.push(isoDay(d));
  return { monday, holidays };
}

beforeAll(async () => {
  t = await bootstrapTenant();
  globex = (await api(t, 'POST', '/clients', { name: 'Globex' })).body.id;
});

describe('business calendars', () => {
  it('are created, read, changed and validated by admins', async () => {
    const { holidays } = mondayAhead();
    const res = await api(t, 'POST', '/business-calendars', { name: 'Office hours', timezone: 'UTC', hours: nineToFive, holidays });
    expect(res.status).toBe(201);
    calendarId = res.body.id;
    expect(res.body).toMatchObject({ name: 'Office hours', timezone: 'UTC', hours: nineToFive, holidays });
    const renamed = await api(t, 'PATCH', `/business-calendars/${calendarId}`, { name: 'Support hours' });
    expect(renamed.body).toMatchObject({ name: 'Support hours', hours: nineToFive });
    expect(await auditActions(calendarId)).toEqual(['business_calendar.create', 'business_calendar.update']);
    const bad = [
      { name: 'x', timezone: 'Mars/Olympus', hours: nineToFive },
      { name: 'x', timezone: 'UTC', hours: nineToFive.slice(0, 6) },
      { name: 'x', timezone: 'UTC', hours: [[], [[540, 720], [700, 1020]], [], [], [], [], []] },
      { name: 'x', timezone: 'UTC', hours: [[], [[600, 540]], [], [], [], [], []] },
      { name: 'x', timezone: 'UTC', hours: nineToFive, holidays: ['2026-02-30'] },
    ];
    for (const body of bad) expect((await api(t, 'POST', '/business-calendars', body)).status).toBe(400);
    expect((await api(await addUser(t, 'technician'), 'POST', '/business-calendars', { name: 'x', timezone: 'UTC', hours: nineToFive })).status).toBe(403);
    expect((await api(await addUser(t, 'admin', [globex]), 'POST', '/business-calendars', { name: 'x', timezone: 'UTC', hours: nineToFive })).status).toBe(403);
    expect((await api(t, 'GET', '/business-calendars')).body.items.map((c: { id: string }) => c.id)).toEqual([calendarId]);
  });
});

describe('SLA policies', () => {
  it('allow one default and one policy per client', async () => {
    const res = await api(t, 'POST', '/sla-policies', {
      name: 'Standard',
      calendarId,
      targets: { normal: { firstResponseMinutes: 120, resolutionMinutes: 600 }, urgent: { firstResponseMinutes: 30, resolutionMinutes: 60 } },
    });
    expect(res.status).toBe(201);
    defaultPolicy = res.body.id;
    expect(res.body).toMatchObject({ clientId: null, calendarId });
    expect((await api(t, 'POST', '/sla-policies', { name: 'Another default', targets: {} })).status).toBe(409);
    const client = await api(t, 'POST', '/sla-policies', { name: 'Globex 24/7', clientId: globex, targets: { urgent: { firstResponseMinutes: 60, resolutionMinutes: 240 } } });
    expect(client.status).toBe(201);
    expect((await api(t, 'POST', '/sla-policies', { name: 'Globex again', clientId: globex, targets: {} })).status).toBe(409);
    expect((await api(t, 'PATCH', `/sla-policies/${client.body.id}`, { clientId: null })).status).toBe(409);
    expect((await api(t, 'POST', '/sla-policies', { name: 'x', clientId: 'cli_nope', targets: {} })).status).toBe(400);
    const foreign = await createTenantDirect();
    const foreignCalendar = (await api(foreign, 'POST', '/business-calendars', { name: 'F', timezone: 'UTC', hours: nineToFive })).body.id;
    expect((await api(t, 'POST', '/sla-policies', { name: 'x', clientId: t.clientId, calendarId: foreignCalendar, targets: {} })).status).toBe(400);
    expect((await api(t, 'POST', '/sla-policies', { name: 'x', clientId: t.clientId, targets: { normal: { firstResponseMinutes: 0, resolutionMinutes: 5 } } })).status).toBe(400);
    expect(await auditActions(defaultPolicy)).toEqual(['sla_policy.create']);
  });

  it('client-limited users see the default and their clients’ policies only', async () => {
    const acme = await api(t, 'POST', '/sla-policies', { name: 'Internal', clientId: t.clientId, targets: {} });
    const reader = await addUser(t, 'readonly', [globex]);
    const names = (await api(reader, 'GET', '/sla-policies')).body.items.map((p: { name: string }) => p.name);
    expect(names).toEqual(['Globex 24/7', 'Standard']);
    expect((await api(reader, 'GET', `/sla-policies/${acme.body.id}`)).status).toBe(404);
    expect((await api(t, 'DELETE', `/sla-policies/${acme.body.id}`)).status).toBe(204);
    expect(await auditActions(acme.body.id)).toEqual(['sla_policy.create', 'sla_policy.delete']);
  });

  it('a calendar in use cannot be deleted', async () => {
    expect((await api(t, 'DELETE', `/business-calendars/${calendarId}`)).status).toBe(409);
    expect((await api(t, 'GET', `/business-calendars/${calendarId}`)).status).toBe(200);
  });
});

describe('ticket due times', () => {
  it('count business minutes over the weekend from the default policy’s calendar', async () => {
    const { monday } = mondayAhead();
    const ticket = (await api(t, 'POST', '/tickets', { clientId: t.clientId, title: 'Weekend ticket' })).body;
    expect(ticket.slaPolicyId).toBe(defaultPolicy);
    // Two business hours from Monday 09:00; ten hours overflow Monday's eight into Tuesday.
    expect(ticket.firstResponseDueAt).toBe(monday + 11 * 3_600_000);
    expect(ticket.resolutionDueAt).toBe(monday + DAY + 11 * 3_600_000);
  });

  it('use the client’s own policy (round the clock without a calendar) before the default', async () => {
    const ticket = (await api(t, 'POST', '/tickets', { clientId: globex, title: 'Urgent', priority: 'urgent' })).body;
    expect(ticket.firstResponseDueAt).toBe(ticket.createdAt + 60 * 60_000);
    expect(ticket.resolutionDueAt).toBe(ticket.createdAt + 240 * 60_000);
    // A priority the policy has no target for: no clocks.
    const normal = (await api(t, 'POST', '/tickets', { clientId: globex, title: 'Normal' })).body;
    expect([normal.firstResponseDueAt, normal.resolutionDueAt]).toEqual([null, null]);
  });

  it('are recomputed from the creation time when the priority changes', async () => {
    const { monday } = mondayAhead();
    const ticket = (await api(t, 'POST', '/tickets', { clientId: t.clientId, title: 'Escalating' })).body;
    const urgent = (await api(t, 'PATCH', `/tickets/${ticket.id}`, { priority: 'urgent' })).body;
    expect(urgent.firstResponseDueAt).toBe(monday + 9.5 * 3_600_000);
    expect(urgent.resolutionDueAt).toBe(monday + 10 * 3_600_000);
    const low = (await api(t, 'PATCH', `/tickets/${ticket.id}`, { priority: 'low' })).body;
    expect([low.firstResponseDueAt, low.resolutionDueAt]).toEqual([null, null]);
  });

  it('stay empty for a tenant without policies', async () => {
    const foreign = await createTenantDirect();
    const ticket = (await api(foreign, 'POST', '/tickets', { clientId: foreign.clientId, title: 'No SLA' })).body;
    expect([ticket.slaPolicyId, ticket.firstResponseDueAt, ticket.resolutionDueAt]).toEqual([null, null, null]);
  });
});
