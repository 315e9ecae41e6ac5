import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { addUser, api, bootstrapTenant, createTenantDirect, insertDevice, type BootstrappedTenant, type UserFixture } from '../../test/support';
import { auditActions } from '../../test/checks';

/* The tickets API through the real Worker: numbering, scoping, roles, history, thread and time. */

let t: BootstrappedTenant;
let other: { clientId: string; siteId: string };
let dev: string;
let otherDev: string;
let tech: UserFixture;
let limited: UserFixture;
let readonly: UserFixture;

const open = async (auth: { headers: Record<string, string> }, body: Record<string, unknown>) => {
  const res = await api(auth, 'POST', '/tickets', body);
  if (res.status !== 201) throw new Error(`ticket not created: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
};
const events = async (id: string) => (await api(t, 'GET', `/tickets/${id}`)).body.events.map((e: { kind: string }) => e.kind);

beforeAll(async () => {
  t = await bootstrapTenant();
  const clientId = (await api(t, 'POST', '/clients', { name: 'Globex' })).body.id;
  const siteId = (await api(t, 'POST', '/sites', { clientId, name: 'Globex HQ' })).body.id;
  other = { clientId, siteId };
  dev = await insertDevice(t, { hostname: 'web-01' });
  otherDev = await insertDevice({ tenantId: t.tenantId, ...other }, { hostname: 'db-07' });
  tech = await addUser(t, 'technician');
  limited = await addUser(t, 'technician', [other.clientId]);
  readonly = await addUser(t, 'readonly');
});

describe('creating tickets', () => {
  it('numbers tickets per tenant from 1 upwards', async () => {
    const a = await open(t, { clientId: t.clientId, title: 'First' });
    const b = await open(tech, { clientId: t.clientId, title: 'Second' });
    expect([a.number, b.number]).toEqual([1, 2]);
    expect(a).toMatchObject({ status: 'new', priority: 'normal', source: 'manual', requesterId: t.userId, clientName: 'Internal' });
    const foreign = await createTenantDirect();
    expect((await open(foreign, { clientId: foreign.clientId, title: 'Elsewhere' })).number).toBe(1);
    expect((await open(t, { clientId: t.clientId, title: 'Third' })).number).toBe(3);
    expect(await auditActions(a.id)).toEqual(['ticket.create']);
    expect(await events(a.id)).toEqual(['created']);
  });

  it('takes the site from the device and refuses a site or device of another client', async () => {
    const ok = await open(t, { clientId: t.clientId, deviceId: dev, title: 'Disk full', priority: 'high' });
    expect(ok).toMatchObject({ deviceId: dev, siteId: t.siteId, hostname: 'web-01', priority: 'high' });
    const before = (await api(t, 'GET', '/tickets?status=new,open,pending,resolved,closed&limit=500')).body.items.length;
    const wrongDevice = await api(t, 'POST', '/tickets', { clientId: t.clientId, deviceId: otherDev, title: 'x' });
    expect(wrongDevice.status).toBe(400);
    expect(wrongDevice.body.error.issues[0].path).toBe('deviceId');
    const wrongSite = await api(t, 'POST', '/tickets', { clientId: t.clientId, siteId: other.siteId, title: 'x' });
    expect(wrongSite.status).toBe(400);
    expect(wrongSite.body.error.issues[0].path).toBe('siteId');
    expect((await api(t, 'POST', '/tickets', { clientId: t.clientId, title: '', priority: 'whenever' })).status).toBe(400);
    expect((await api(t, 'GET', '/tickets?status=new,open,pending,resolved,closed&limit=500')).body.items.length).toBe(before);
  });

  it('accepts only active assignees of the tenant who may see the client', async () => {
    const ok = await open(t, { clientId: t.clientId, title: 'Assigned', assigneeId: tech.userId });
    expect(ok.assigneeId).toBe(tech.userId);
    const blind = await api(t, 'POST', '/tickets', { clientId: t.clientId, title: 'x', assigneeId: limited.userId });
    expect(blind.status).toBe(400);
    expect(blind.body.error.message).toMatch(/limited to other clients|cannot see/);
    const foreign = await createTenantDirect();
    expect((await api(t, 'POST', '/tickets', { clientId: t.clientId, title: 'x', assigneeId: foreign.userId })).status).toBe(400);
    const gone = await addUser(t, 'technician');
    await env.DB.prepare('UPDATE users SET disabled_at = ? WHERE id = ?').bind(Date.now(), gone.userId).run();
    expect((await api(t, 'POST', '/tickets', { clientId: t.clientId, title: 'x', assigneeId: gone.userId })).status).toBe(400);
  });

  it('a foreign client answers 404', async () => {
    const foreign = await createTenantDirect();
    expect((await api(t, 'POST', '/tickets', { clientId: foreign.clientId, title: 'x' })).status).toBe(404);
  });
});

describe('who sees and changes what', () => {
  it('a client-limited technician sees and opens tickets of their clients only', async () => {
    const mine = await open(limited, { clientId: other.clientId, deviceId: otherDev, title: 'Globex printer' });
    const theirs = await open(t, { clientId: t.clientId, title: 'Internal only' });
    expect((await api(limited, 'POST', '/tickets', { clientId: t.clientId, title: 'x' })).status).toBe(404);
    expect((await api(limited, 'GET', `/tickets/${theirs.id}`)).status).toBe(404);
    expect((await api(limited, 'PATCH', `/tickets/${theirs.id}`, { title: 'mine now' })).status).toBe(404);
    expect((await api(limited, 'POST', `/tickets/${theirs.id}/comments`, { body: 'hi' })).status).toBe(404);
    const list = (await api(limited, 'GET', '/tickets')).body.items.map((i: { id: string }) => i.id);
    expect(list).toContain(mine.id);
    expect(list).not.toContain(theirs.id);
    expect((await api(limited, 'GET', `/tickets?clientId=${t.clientId}`)).body.items).toEqual([]);
  });

  it('read-only users read but cannot write', async () => {
    const ticket = await open(t, { clientId: t.clientId, title: 'Read me' });
    expect((await api(readonly, 'GET', `/tickets/${ticket.id}`)).status).toBe(200);
    expect((await api(readonly, 'POST', '/tickets', { clientId: t.clientId, title: 'x' })).status).toBe(403);
    expect((await api(readonly, 'PATCH', `/tickets/${ticket.id}`, { status: 'open' })).status).toBe(403);
    expect((await api(readonly, 'POST', `/tickets/${ticket.id}/comments`, { body: 'x' })).status).toBe(403);
    expect((await api(readonly, 'POST', `/tickets/${ticket.id}/time-entries`, { minutes: 5 })).status).toBe(403);
    expect((await api(t, 'GET', `/tickets/${ticket.id}`)).body.ticket.updatedAt).toBe(ticket.updatedAt);
  });

  it('tickets cannot be deleted', async () => {
    const ticket = await open(t, { clientId: t.clientId, title: 'Forever' });
    expect((await api(t, 'DELETE', `/tickets/${ticket.id}`)).status).toBe(404);
    expect((await api(t, 'GET', `/tickets/${ticket.id}`)).status).toBe(200);
  });
});

describe('changing tickets', () => {
  it('writes one history event per changed field and an audit row', async () => {
    const ticket = await open(t, { clientId: t.clientId, title: 'Slow PC' });
    const res = await api(t, 'PATCH', `/tickets/${ticket.id}`, { title: 'Very slow PC', priority: 'urgent', status: 'open', assigneeId: tech.userId, description: '' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ title: 'Very slow PC', priority: 'urgent', status: 'open', assigneeId: tech.userId });
    const detail = (await api(t, 'GET', `/tickets/${ticket.id}`)).body;
    expect(detail.events.map((e: { kind: string }) => e.kind)).toEqual(['created', 'title', 'priority', 'status', 'assignee']);
    expect(detail.events[2]).toMatchObject({ actorId: t.userId, detail: { from: 'normal', to: 'urgent' } });
    expect(await auditActions(ticket.id)).toEqual(['ticket.create', 'ticket.update']);
    // The same values again change nothing and write nothing.
    expect((await api(t, 'PATCH', `/tickets/${ticket.id}`, { title: 'Very slow PC', priority: 'urgent' })).status).toBe(200);
    expect(await events(ticket.id)).toHaveLength(5);
    expect(await auditActions(ticket.id)).toHaveLength(2);
    expect((await api(t, 'PATCH', `/tickets/${ticket.id}`, { assigneeId: null })).body.assigneeId).toBeNull();
  });

  it('stamps and clears resolvedAt and closedAt through the status moves', async () => {
    const ticket = await open(t, { clientId: t.clientId, title: 'Lifecycle' });
    const resolved = (await api(t, 'PATCH', `/tickets/${ticket.id}`, { status: 'resolved' })).body;
    expect(resolved.resolvedAt).toBeGreaterThan(0);
    expect(resolved.closedAt).toBeNull();
    const closed = (await api(t, 'PATCH', `/tickets/${ticket.id}`, { status: 'closed' })).body;
    expect(closed).toMatchObject({ status: 'closed', resolvedAt: resolved.resolvedAt });
    expect(closed.closedAt).toBeGreaterThanOrEqual(resolved.resolvedAt);
    const reopened = (await api(t, 'PATCH', `/tickets/${ticket.id}`, { status: 'open' })).body;
    expect(reopened).toMatchObject({ status: 'open', resolvedAt: null, closedAt: null });
    const back = await api(t, 'PATCH', `/tickets/${ticket.id}`, { status: 'new' });
    expect(back.status).toBe(409);
    const invalid = await api(t, 'PATCH', `/tickets/${ticket.id}`, { status: 'done', title: 'changed' });
    expect(invalid.status).toBe(400);
    expect((await api(t, 'GET', `/tickets/${ticket.id}`)).body.ticket).toMatchObject({ status: 'open', title: 'Lifecycle' });
  });
});

describe('listing tickets', () => {
  it('filters by status, priority, client, assignee, device, source and text, newest first', async () => {
    const a = await open(t, { clientId: other.clientId, title: 'Filter alpha', priority: 'low', assigneeId: t.userId });
    const b = await open(t, { clientId: other.clientId, deviceId: otherDev, title: 'Filter beta', description: 'needle here' });
    const c = await open(t, { clientId: other.clientId, title: 'Filter gamma' });
    await api(t, 'PATCH', `/tickets/${c.id}`, { status: 'closed' });
    const ids = async (query: string) => (await api(t, 'GET', `/tickets?clientId=${other.clientId}&${query}`)).body.items.map((i: { id: string }) => i.id);
    const all = await ids('q=Filter');
    expect(all).toEqual([b.id, a.id]);
    expect(await ids('q=Filter&status=closed')).toEqual([c.id]);
    expect(await ids('q=Filter&status=new,closed')).toEqual([c.id, b.id, a.id]);
    expect(await ids('priority=low')).toEqual([a.id]);
    expect(await ids('assigneeId=me&q=Filter')).toEqual([a.id]);
    expect(await ids(`assigneeId=${t.userId}&q=Filter`)).toEqual([a.id]);
    expect(await ids('assigneeId=unassigned&q=Filter')).toEqual([b.id]);
    expect(await ids(`deviceId=${otherDev}&q=Filter`)).toEqual([b.id]);
    expect(await ids('q=needle')).toEqual([b.id]);
    expect(await ids(`q=%23${b.number}`)).toEqual([b.id]);
    expect(await ids('source=alert&q=Filter')).toEqual([]);
    expect((await api(t, 'GET', '/tickets?status=bogus')).status).toBe(400);
  });

  it('pages with a cursor', async () => {
    const first = await api(t, 'GET', '/tickets?limit=2');
    expect(first.body.items).toHaveLength(2);
    const second = await api(t, 'GET', `/tickets?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.items[0].id < first.body.items[1].id).toBe(true);
  });
});

describe('comments and time', () => {
  it('the first public comment records the first response; internal notes do not', async () => {
    const ticket = await open(t, { clientId: t.clientId, title: 'Needs answer' });
    const note = await api(tech, 'POST', `/tickets/${ticket.id}/comments`, { body: 'checking logs', internal: true });
    expect(note.status).toBe(201);
    expect((await api(t, 'GET', `/tickets/${ticket.id}`)).body.ticket.firstResponseAt).toBeNull();
    const reply = await api(tech, 'POST', `/tickets/${ticket.id}/comments`, { body: 'On it!' });
    expect(reply.body).toMatchObject({ internal: false, authorId: tech.userId, authorKind: 'user' });
    const detail = (await api(t, 'GET', `/tickets/${ticket.id}`)).body;
    expect(detail.ticket.firstResponseAt).toBe(reply.body.createdAt);
    await api(t, 'POST', `/tickets/${ticket.id}/comments`, { body: 'later reply' });
    const after = (await api(t, 'GET', `/tickets/${ticket.id}`)).body;
    expect(after.ticket.firstResponseAt).toBe(reply.body.createdAt);
    expect(after.comments.map((c: { body: string }) => c.body)).toEqual(['checking logs', 'On it!', 'later reply']);
    expect(after.events.filter((e: { kind: string }) => e.kind === 'comment')).toHaveLength(3);
    expect((await api(t, 'POST', `/tickets/${ticket.id}/comments`, { body: '   ' })).status).toBe(400);
    expect(await auditActions(ticket.id)).toEqual(['ticket.create', 'ticket.comment', 'ticket.comment', 'ticket.comment']);
  });

  it('logs time with billable totals; only admins remove other people’s entries', async () => {
    const ticket = await open(t, { clientId: t.clientId, title: 'Billable work' });
    const worked = Date.parse('2026-01-05T10:00:00Z');
    const a = await api(tech, 'POST', `/tickets/${ticket.id}/time-entries`, { minutes: 30, note: 'remote session', workedAt: worked });
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ minutes: 30, billable: true, note: 'remote session', workedAt: worked, userId: tech.userId });
    await api(tech, 'POST', `/tickets/${ticket.id}/time-entries`, { minutes: 15, billable: false });
    await api(t, 'POST', `/tickets/${ticket.id}/time-entries`, { minutes: 45 });
    for (const minutes of [0, 1441, 2.5]) expect((await api(t, 'POST', `/tickets/${ticket.id}/time-entries`, { minutes })).status).toBe(400);
    expect((await api(t, 'POST', `/tickets/${ticket.id}/time-entries`, { minutes: 5, workedAt: Date.now() + 3 * 86_400_000 })).status).toBe(400);
    let detail = (await api(t, 'GET', `/tickets/${ticket.id}`)).body;
    expect(detail.timeTotals).toEqual({ billableMinutes: 75, nonBillableMinutes: 15 });
    const ownersEntry = detail.timeEntries.find((e: { userId: string }) => e.userId === t.userId).id;
    expect((await api(tech, 'DELETE', `/tickets/${ticket.id}/time-entries/${ownersEntry}`)).status).toBe(403);
    expect((await api(tech, 'DELETE', `/tickets/${ticket.id}/time-entries/${a.body.id}`)).status).toBe(204);
    expect((await api(t, 'DELETE', `/tickets/${ticket.id}/time-entries/${ownersEntry}`)).status).toBe(204);
    expect((await api(t, 'DELETE', `/tickets/${ticket.id}/time-entries/${ownersEntry}`)).status).toBe(404);
    detail = (await api(t, 'GET', `/tickets/${ticket.id}`)).body;
    expect(detail.timeTotals).toEqual({ billableMinutes: 0, nonBillableMinutes: 15 });
    expect(detail.events.map((e: { kind: string }) => e.kind)).toEqual(['created', 'time', 'time', 'time', 'time_removed', 'time_removed']);
    expect(await auditActions(ticket.id)).toEqual(['ticket.create', 'ticket.time.add', 'ticket.time.add', 'ticket.time.add', 'ticket.time.delete', 'ticket.time.delete']);
  });
});
