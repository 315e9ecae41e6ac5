import { env, runInDurableObject } from 'cloudflare:test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ORIGIN,
  TEST_PASSWORD,
  addUser,
  api,
  bootstrapTenant,
  clearOfWindowEdge,
  cookieAuth,
  createTenantDirect,
  insertDevice,
  type Auth,
  type BootstrappedTenant,
  type UserFixture,
} from '../../test/support';
import { insertAlert } from '../../test/desk';
import { insertChatIntegration } from '../../test/chat-fixtures';
import { connectDashboard, tenantHub, type TestSocket } from '../../durable/testing/sockets';
import { PortalComment, PortalTicket } from '../../protocol/api/portal';

/* The client portal through the real Worker: a portal user's tickets, thread and devices. */

let t: BootstrappedTenant;
let globex: { tenantId: string; clientId: string; siteId: string };
let portal: Auth & { userId: string };
let colleague: UserFixture;
let tech: UserFixture;
let globexDevice: string;
let internalDevice: string;
const sockets: TestSocket[] = [];

const openTicket = async (who: Auth, body: Record<string, unknown>) => {
  const res = await api(who, 'POST', '/portal/tickets', body);
  if (res.status !== 201) throw new Error(`portal ticket not created: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as PortalTicket;
};
const staffTicket = async (clientId: string, title: string) => {
  const res = await api(t, 'POST', '/tickets', { clientId, title });
  if (res.status !== 201) throw new Error(`ticket not created: ${res.status}`);
  return res.body as { id: string; number: number };
};
const staffView = async (id: string) => (await api(t, 'GET', `/tickets/${id}`)).body;
const listIds = async (who: Auth, query = '') => (await api(who, 'GET', `/portal/tickets?${query}`)).body.items.map((i: { id: string }) => i.id);
const auditRows = async (ticketId: string) =>
  (await env.DB.prepare('SELECT action FROM audit_log WHERE target_id = ?').bind(ticketId).all<{ action: string }>()).results.map((r) => r.action);

beforeAll(async () => {
  t = await bootstrapTenant();
  const clientId = (await api(t, 'POST', '/clients', { name: 'Globex' })).body.id;
  const siteId = (await api(t, 'POST', '/sites', { clientId, name: 'Globex HQ' })).body.id;
  globex = { tenantId: t.tenantId, clientId, siteId };
  expect((await api(t, 'POST', '/sla-policies', { name: 'Standard', targets: { normal: { firstResponseMinutes: 60, resolutionMinutes: 480 } } })).status).toBe(201);
  // The portal user as an admin would make one, signing in like anyone else.
  const email = `hank-${crypto.randomUUID().slice(0, 6)}@globex.test`;
  const created = await api(t, 'POST', '/users', { email, name: 'Hank Scorpio', password: TEST_PASSWORD, role: 'client', clientIds: [clientId] });
  expect(created.status).toBe(201);
  const login = await api(null, 'POST', '/auth/login', { email, password: TEST_PASSWORD }, { Origin: ORIGIN });
  expect(login.status).toBe(200);
  expect(login.body.user).toMatchObject({ role: 'client', clientIds: [clientId] });
  const cookie = /tether_session=[^;]+/.exec(login.headers.get('set-cookie') ?? '')![0];
  portal = { ...cookieAuth(cookie), userId: created.body.id };
  colleague = await addUser(t, 'client', [clientId]);
  tech = await addUser(t, 'technician');
  globexDevice = await insertDevice(globex, { hostname: 'gx-ws-01', displayName: 'Reception PC' });
  internalDevice = await insertDevice(t, { hostname: 'msp-01' });
});

afterAll(() => {
  for (const s of sockets.splice(0)) s.close();
});

describe('who the portal user is', () => {
  it('answers the user, their one client and the MSP', async () => {
    const res = await api(portal, 'GET', '/portal/me');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      user: { id: portal.userId, email: expect.stringContaining('@globex.test'), name: 'Hank Scorpio' },
      client: { id: globex.clientId, name: 'Globex' },
      tenant: { id: t.tenantId, name: 'Acme IT' },
    });
    expect((await api(portal, 'GET', '/auth/me')).body.user).toMatchObject({ id: portal.userId, role: 'client' });
  });
});

describe('opening tickets', () => {
  it('opens a ticket for the client from the portal, with SLA clocks and the portal user in its history', async () => {
    const ticket = await openTicket(portal, { title: 'Printer jammed', description: 'Paper everywhere' });
    expect(ticket).toMatchObject({ title: 'Printer jammed', description: 'Paper everywhere', priority: 'normal', status: 'new', deviceId: null, hostname: null, requesterName: 'Hank Scorpio', mine: true, resolvedAt: null });
    const staff = await staffView(ticket.id);
    expect(staff.ticket).toMatchObject({ clientId: globex.clientId, source: 'portal', requesterId: portal.userId, assigneeId: null });
    expect(staff.ticket.firstResponseDueAt).toBe(staff.ticket.createdAt + 60 * 60_000);
    expect(staff.ticket.resolutionDueAt).toBe(staff.ticket.createdAt + 480 * 60_000);
    expect(staff.events).toEqual([expect.objectContaining({ kind: 'created', actorId: portal.userId })]);
    // Not a privileged change: no audit row.
    expect(await auditRows(ticket.id)).toEqual([]);
    // The technicians' queue has it.
    expect((await api(t, 'GET', `/tickets?source=portal&clientId=${globex.clientId}`)).body.items.map((i: { id: string }) => i.id)).toContain(ticket.id);
  });

  it('takes one of the client’s devices; another client’s or tenant’s device answers 404', async () => {
    const ticket = await openTicket(portal, { title: 'Slow PC', description: 'Takes ages', priority: 'high', deviceId: globexDevice });
    expect(ticket).toMatchObject({ deviceId: globexDevice, hostname: 'Reception PC', priority: 'high' });
    expect((await staffView(ticket.id)).ticket.siteId).toBe(globex.siteId);
    const before = (await listIds(portal, 'state=all&limit=200')).length;
    const other = await api(portal, 'POST', '/portal/tickets', { title: 'x', description: 'y', deviceId: internalDevice });
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe('not_found');
    const foreign = await createTenantDirect();
    const foreignDevice = await insertDevice(foreign);
    expect((await api(portal, 'POST', '/portal/tickets', { title: 'x', description: 'y', deviceId: foreignDevice })).status).toBe(404);
    expect((await listIds(portal, 'state=all&limit=200')).length).toBe(before);
  });

  it('refuses urgent priority and empty fields', async () => {
    expect((await api(portal, 'POST', '/portal/tickets', { title: 'x', description: 'y', priority: 'urgent' })).status).toBe(400);
    expect((await api(portal, 'POST', '/portal/tickets', { title: '  ', description: 'y' })).status).toBe(400);
    expect((await api(portal, 'POST', '/portal/tickets', { title: 'x' })).status).toBe(400);
  });

  it('tells the tenant hub: the technicians’ dashboards get the ticket live and its SLA timers are set', async () => {
    const dash = await connectDashboard(t.tenantId, null, t.userId);
    sockets.push(dash);
    await dash.next('hello');
    const ticket = await openTicket(portal, { title: 'Live one', description: 'Watch me' });
    expect((await dash.next('ticket')).ticket).toMatchObject({ id: ticket.id, status: 'new', clientId: globex.clientId });
    const jobs = await runInDurableObject(tenantHub(t.tenantId), async (_i, state) =>
      state.storage.sql.exec<{ key: string }>('SELECT key FROM schedule WHERE key LIKE ?', `sla:%:${ticket.id}`).toArray().map((r) => r.key.split(':')[1]),
    );
    expect(jobs.sort()).toEqual(['first_response', 'resolution']);
  });

  it('limits how many tickets one portal user opens an hour', async () => {
    await clearOfWindowEdge(3600_000, 10_000);
    const busy = await addUser(t, 'client', [globex.clientId]);
    for (let i = 0; i < 20; i++) await openTicket(busy, { title: `Flood ${i}`, description: 'again' });
    const refused = await api(busy, 'POST', '/portal/tickets', { title: 'One more', description: 'again' });
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('rate_limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another portal user of the same client is not held back.
    expect((await api(colleague, 'POST', '/portal/tickets', { title: 'Mine', description: 'fine' })).status).toBe(201);
  }, 60_000);
});

describe('following tickets', () => {
  it('lists only the client’s tickets, newest first, by state, mine and text, with a cursor', async () => {
    const internal = await staffTicket(t.clientId, 'MSP internal work');
    const byStaff = await staffTicket(globex.clientId, 'Patch night for Globex');
    const byColleague = await openTicket(colleague, { title: 'Colleague’s VPN', description: 'drops' });
    const mine = await openTicket(portal, { title: 'My VPN', description: 'drops too' });
    const open = await listIds(portal, 'limit=200');
    expect(open).not.toContain(internal.id);
    expect(open.indexOf(mine.id)).toBeLessThan(open.indexOf(byColleague.id));
    expect(open.indexOf(byColleague.id)).toBeLessThan(open.indexOf(byStaff.id));

    const items = (await api(portal, 'GET', '/portal/tickets?q=VPN')).body.items;
    expect(items.map((i: PortalTicket) => [i.id, i.mine, i.requesterName])).toEqual([
      [mine.id, true, 'Hank Scorpio'],
      [byColleague.id, false, expect.stringMatching(/^client /)],
    ]);
    expect(await listIds(portal, 'q=VPN&mine=true')).toEqual([mine.id]);
    expect(await listIds(portal, `q=%23${byStaff.number}`)).toEqual([byStaff.id]);
    // Opened by the MSP: no requester name is shown to the client.
    expect((await api(portal, 'GET', `/portal/tickets/${byStaff.id}`)).body.ticket.requesterName).toBeNull();

    expect((await api(t, 'PATCH', `/tickets/${byColleague.id}`, { status: 'resolved' })).status).toBe(200);
    expect(await listIds(portal, 'q=VPN')).toEqual([mine.id]);
    expect(await listIds(portal, 'q=VPN&state=done')).toEqual([byColleague.id]);
    expect(await listIds(portal, 'q=VPN&state=all')).toEqual([mine.id, byColleague.id]);

    const first = await api(portal, 'GET', '/portal/tickets?q=VPN&state=all&limit=1');
    expect(first.body.items.map((i: PortalTicket) => i.id)).toEqual([mine.id]);
    const second = await api(portal, 'GET', `/portal/tickets?q=VPN&state=all&limit=1&cursor=${first.body.nextCursor}`);
    expect(second.body).toEqual({ items: [expect.objectContaining({ id: byColleague.id })], nextCursor: null });
    expect((await api(portal, 'GET', '/portal/tickets?state=bogus')).status).toBe(400);
  });

  it('another client’s or another tenant’s ticket answers 404', async () => {
    const internal = await staffTicket(t.clientId, 'Not for Globex');
    const foreign = await createTenantDirect();
    const elsewhere = (await api(foreign, 'POST', '/tickets', { clientId: foreign.clientId, title: 'Elsewhere' })).body;
    for (const id of [internal.id, elsewhere.id, 'tkt_missing']) {
      const res = await api(portal, 'GET', `/portal/tickets/${id}`);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_found');
      expect((await api(portal, 'POST', `/portal/tickets/${id}/comments`, { body: 'hello?' })).status).toBe(404);
    }
    expect((await staffView(internal.id)).comments).toEqual([]);
  });

  it('shows public comments only: no internal notes, time, assignee, SLA or history', async () => {
    const ticket = await openTicket(portal, { title: 'Email down', description: 'No mail since 9' });
    expect((await api(tech, 'POST', `/tickets/${ticket.id}/comments`, { body: 'SECRET: their admin broke DNS', internal: true })).status).toBe(201);
    expect((await api(tech, 'POST', `/tickets/${ticket.id}/comments`, { body: 'Looking into it now' })).status).toBe(201);
    expect((await api(tech, 'POST', `/tickets/${ticket.id}/time-entries`, { minutes: 15 })).status).toBe(201);
    expect((await api(t, 'PATCH', `/tickets/${ticket.id}`, { assigneeId: tech.userId, status: 'open' })).status).toBe(200);

    const res = await api(portal, 'GET', `/portal/tickets/${ticket.id}`);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['comments', 'ticket']);
    expect(Object.keys(res.body.ticket).sort()).toEqual(Object.keys(PortalTicket.entries).sort());
    expect(res.body.ticket.status).toBe('open');
    expect(res.body.comments).toEqual([{ id: expect.any(String), authorName: expect.stringMatching(/^technician /), fromSupport: true, body: 'Looking into it now', createdAt: expect.any(Number) }]);
    expect(Object.keys(res.body.comments[0]).sort()).toEqual(Object.keys(PortalComment.entries).sort());
    const text = JSON.stringify(res.body);
    expect(text).not.toContain('SECRET');
    expect(text).not.toContain(tech.userId);
  });
});

describe('replying from the portal', () => {
  it('a reply is the client’s, seen by staff as from the portal, and is not the first response', async () => {
    const ticket = await openTicket(portal, { title: 'Wi-Fi', description: 'Weak upstairs' });
    const res = await api(portal, 'POST', `/portal/tickets/${ticket.id}/comments`, { body: 'Also downstairs now' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.any(String), authorName: 'Hank Scorpio', fromSupport: false, body: 'Also downstairs now', createdAt: expect.any(Number) });
    const staff = await staffView(ticket.id);
    expect(staff.comments).toEqual([expect.objectContaining({ id: res.body.id, authorId: portal.userId, authorKind: 'portal', internal: false })]);
    expect(staff.ticket.firstResponseAt).toBeNull();
    expect(staff.ticket.status).toBe('new');
    expect(staff.events.map((e: { kind: string; actorId: string }) => [e.kind, e.actorId])).toEqual([
      ['created', portal.userId],
      ['comment', portal.userId],
    ]);
    expect(await auditRows(ticket.id)).toEqual([]);
    // The MSP's public answer is what stops the first-response clock.
    const answer = await api(tech, 'POST', `/tickets/${ticket.id}/comments`, { body: 'Sending someone' });
    expect((await staffView(ticket.id)).ticket.firstResponseAt).toBe(answer.body.createdAt);
    expect((await api(portal, 'GET', `/portal/tickets/${ticket.id}`)).body.comments.map((c: PortalComment) => [c.body, c.fromSupport])).toEqual([
      ['Also downstairs now', false],
      ['Sending someone', true],
    ]);
    expect((await api(portal, 'POST', `/portal/tickets/${ticket.id}/comments`, { body: '   ' })).status).toBe(400);
  });

  it('reopens a pending or resolved ticket, naming the portal user in its history, and tells the dashboards', async () => {
    const dash = await connectDashboard(t.tenantId, null, t.userId);
    sockets.push(dash);
    await dash.next('hello');
    for (const status of ['pending', 'resolved'] as const) {
      const ticket = await openTicket(portal, { title: `Waiting (${status})`, description: 'x' });
      expect((await api(t, 'PATCH', `/tickets/${ticket.id}`, { status })).status).toBe(200);
      expect((await api(portal, 'POST', `/portal/tickets/${ticket.id}/comments`, { body: 'Still broken' })).status).toBe(201);
      const staff = await staffView(ticket.id);
      expect(staff.ticket).toMatchObject({ status: 'open', resolvedAt: null, closedAt: null });
      // The hub may add its own `sla_resumed` in the same millisecond, so order is not asserted.
      expect(staff.events).toContainEqual(expect.objectContaining({ kind: 'status', actorId: portal.userId, detail: { from: status, to: 'open' } }));
      if (status === 'pending') expect(staff.events.map((e: { kind: string }) => e.kind)).toContain('sla_resumed');
      expect((await dash.next((f) => f.t === 'ticket' && (f.ticket as { id: string; status: string }).id === ticket.id && (f.ticket as { status: string }).status === 'open')).t).toBe('ticket');
      expect((await api(portal, 'GET', `/portal/tickets/${ticket.id}`)).body.ticket).toMatchObject({ status: 'open', resolvedAt: null });
    }
  });

  it('a closed ticket takes no reply: 409 ticket_closed', async () => {
    const ticket = await openTicket(portal, { title: 'Done deal', description: 'x' });
    expect((await api(t, 'PATCH', `/tickets/${ticket.id}`, { status: 'closed' })).status).toBe(200);
    const res = await api(portal, 'POST', `/portal/tickets/${ticket.id}/comments`, { body: 'One more thing' });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'ticket_closed', message: expect.stringMatching(/new ticket/) });
    const staff = await staffView(ticket.id);
    expect(staff.comments).toEqual([]);
    expect(staff.ticket.status).toBe('closed');
  });
});

describe('the client’s devices', () => {
  it('lists the client’s enrolled devices only, by name, with status and the count of open alerts', async () => {
    const devices = { tenantId: t.tenantId, clientId: globex.clientId, siteId: globex.siteId };
    const seen = Date.now() - 5_000;
    const online = await insertDevice(devices, { hostname: 'gx-srv-01', status: 'online', lastSeenAt: seen, osName: 'Windows Server', osVersion: '2022' });
    const revoked = await insertDevice(devices, { hostname: 'gx-old', revokedAt: Date.now() });
    await insertAlert(devices, online, 'critical');
    await insertAlert(devices, online);
    const resolved = await insertAlert(devices, online);
    await env.DB.prepare("UPDATE alerts SET status = 'resolved', resolved_at = ? WHERE id = ?").bind(Date.now(), resolved).run();
    await insertAlert(t, internalDevice);

    const res = await api(portal, 'GET', '/portal/devices');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      items: [
        { id: online, name: 'gx-srv-01', os: 'Windows Server 2022', siteName: 'Globex HQ', status: 'online', lastSeenAt: seen, openAlerts: 2 },
        { id: globexDevice, name: 'Reception PC', os: 'Debian GNU/Linux 12', siteName: 'Globex HQ', status: 'offline', lastSeenAt: null, openAlerts: 0 },
      ],
      nextCursor: null,
    });
    const ids = JSON.stringify(res.body);
    expect(ids).not.toContain(internalDevice);
    expect(ids).not.toContain(revoked);

    const first = await api(portal, 'GET', '/portal/devices?limit=1');
    expect(first.body.items.map((d: { id: string }) => d.id)).toEqual([online]);
    const second = await api(portal, 'GET', `/portal/devices?limit=1&cursor=${first.body.nextCursor}`);
    expect(second.body).toMatchObject({ items: [{ id: globexDevice }], nextCursor: null });
    expect((await api(portal, 'GET', '/portal/devices?q=reception')).body.items.map((d: { id: string }) => d.id)).toEqual([globexDevice]);
    expect((await api(portal, 'GET', '/portal/devices?cursor=nonsense')).status).toBe(400);
  });
});

describe('portal users stay out of the MSP’s own work', () => {
  it('cannot be made a ticket’s assignee, a chat user’s link or an API token’s role', async () => {
    const ticket = await staffTicket(globex.clientId, 'Printer jammed');
    const assign = await api(t, 'PATCH', `/tickets/${ticket.id}`, { assigneeId: portal.userId });
    expect(assign.status).toBe(400);
    expect(assign.body.error.issues).toEqual([{ path: 'assigneeId', message: expect.stringMatching(/portal/) }]);
    expect((await staffView(ticket.id)).ticket.assigneeId).toBeNull();

    const slack = await insertChatIntegration(t, 'slack', { webhookUrl: 'https://hooks.slack.com/services/T0/B0/portal', signingSecret: 'portal-secret' });
    const link = await api(t, 'POST', `/integrations/${slack}/user-links`, { externalUserId: 'U0PORTAL', userId: portal.userId });
    expect(link.status).toBe(400);
    expect(link.body.error.issues).toEqual([{ path: 'userId', message: expect.stringMatching(/portal/) }]);
    const links = await env.DB.prepare('SELECT COUNT(*) AS n FROM chat_user_links WHERE integration_id = ?').bind(slack).first<{ n: number }>();
    expect(links?.n).toBe(0);

    const token = await api(t, 'POST', '/tokens', { name: 'as a client', role: 'client' });
    expect(token.status).toBe(400);
  });
});
