import { beforeAll, describe, expect, it } from 'vitest';
import {
  addUser,
  api,
  bearerAuth,
  bootstrapTenant,
  insertDevice,
  tokenFor,
  type BootstrappedTenant,
  type UserFixture,
} from '../../test/support';
import { api as apiApp } from '../app';

/*
 * Who may use what: portal users (role `client`) get the portal and nothing of the staff
 * API; staff get nothing of the portal; a portal user is limited to exactly one client.
 */

let t: BootstrappedTenant;
let globex: string;
let initech: string;
let portal: UserFixture;

const newUser = (over: Record<string, unknown>) => ({
  email: `p-${crypto.randomUUID().slice(0, 8)}@example.test`,
  name: 'Portal Person',
  password: 'a long enough password',
  role: 'client',
  ...over,
});
const refusedAsPortal = (res: { status: number; body: { error: { code: string; message: string } } }) => {
  expect(res.status).toBe(403);
  expect(res.body.error.code).toBe('portal_only');
  expect(res.body.error.message).toMatch(/portal/);
};

/** API routes that answer without a signed-in staff caller (or are the portal's own). */
const OPEN_TO_PORTAL_USERS = [
  /^GET \/health/,
  /^(GET|POST) \/bootstrap$/,
  /^POST \/auth\/(login|logout)$/,
  /^GET \/auth\/me$/,
  /^GET \/action-links\/:token$/,
  /^\w+ \/portal(\/|$)/,
];

beforeAll(async () => {
  t = await bootstrapTenant();
  globex = (await api(t, 'POST', '/clients', { name: 'Globex' })).body.id;
  initech = (await api(t, 'POST', '/clients', { name: 'Initech' })).body.id;
  portal = await addUser(t, 'client', [globex]);
});

describe('portal users on the staff API', () => {
  it('every staff route refuses them with portal_only', async () => {
    const routes = apiApp.routes
      .filter((r) => r.method !== 'ALL')
      .map((r) => ({ method: r.method, path: r.path.replace(/\/+$/, '') || '/' }))
      .filter((r) => !OPEN_TO_PORTAL_USERS.some((open) => open.test(`${r.method} ${r.path}`)));
    const unique = [...new Map(routes.map((r) => [`${r.method} ${r.path}`, r])).values()];
    // The whole staff API, not a handful: users, devices, alerts, tickets, tokens, live, …
    expect(unique.length).toBeGreaterThan(80);
    for (const path of ['/users', '/devices', '/alerts', '/tickets', '/tokens', '/live', '/devices/:id/live', '/tickets/:id/attachments/:attachmentId']) {
      expect(unique.map((r) => r.path)).toContain(path);
    }
    for (const r of unique) {
      const path = r.path.replace(/:(\w+)(\{[^}]*\})?/g, 'x_1');
      const res = await api(portal, r.method, path, r.method === 'GET' ? undefined : {});
      expect({ route: `${r.method} ${r.path}`, status: res.status, code: res.body?.error?.code }).toEqual({ route: `${r.method} ${r.path}`, status: 403, code: 'portal_only' });
    }
  });

  it('refuses them on real resources of their own client too: devices, live sockets, attachments, tokens, users', async () => {
    const device = await insertDevice({ tenantId: t.tenantId, clientId: globex, siteId: (await api(t, 'POST', '/sites', { clientId: globex, name: 'HQ' })).body.id });
    const ticket = (await api(t, 'POST', '/tickets', { clientId: globex, title: 'Shared' })).body;
    const upload = await api(t, 'POST', `/tickets/${ticket.id}/attachments`, 'log line', { 'content-type': 'text/plain', 'x-filename': 'log.txt' });
    expect(upload.status).toBe(201);
    refusedAsPortal(await api(portal, 'GET', `/devices/${device}`));
    refusedAsPortal(await api(portal, 'GET', `/devices/${device}/live`, undefined, { Upgrade: 'websocket' }));
    refusedAsPortal(await api(portal, 'GET', '/live', undefined, { Upgrade: 'websocket' }));
    refusedAsPortal(await api(portal, 'GET', `/tickets/${ticket.id}`));
    refusedAsPortal(await api(portal, 'GET', `/tickets/${ticket.id}/attachments/${upload.body.id}`));
    refusedAsPortal(await api(portal, 'POST', '/tokens', { name: 'mine' }));
    refusedAsPortal(await api(portal, 'GET', `/users/${portal.userId}`));
    refusedAsPortal(await api(portal, 'PATCH', `/users/${portal.userId}`, { role: 'owner' }));
    // Their own sign-in state still works, and so does signing out.
    expect((await api(portal, 'GET', '/auth/me')).body.user).toMatchObject({ id: portal.userId, role: 'client', clientIds: [globex] });
    const leaving = await addUser(t, 'client', [globex]);
    expect((await api(leaving, 'POST', '/auth/logout')).status).toBe(204);
    expect((await api(leaving, 'GET', '/portal/me')).status).toBe(401);
  });

  it('an API token of a portal user opens neither the staff API nor the portal', async () => {
    const token = bearerAuth(await tokenFor(portal));
    refusedAsPortal(await api(token, 'GET', '/devices'));
    expect((await api(token, 'GET', '/portal/me')).status).toBe(403);
  });
});

describe('staff on the portal', () => {
  it('the portal refuses every staff role, even one limited to a single client', async () => {
    const staff = [t, await addUser(t, 'admin'), await addUser(t, 'technician', [globex]), await addUser(t, 'readonly', [globex])];
    for (const who of staff) {
      for (const [method, path, body] of [
        ['GET', '/portal/me'],
        ['GET', '/portal/tickets'],
        ['POST', '/portal/tickets', { title: 'x', description: 'y' }],
        ['GET', '/portal/devices'],
      ] as const) {
        const res = await api(who, method, path, body);
        expect(res.status).toBe(403);
        expect(res.body.error.code).toBe('forbidden');
      }
    }
    expect((await api(t, 'GET', `/tickets?source=portal`)).body.items).toEqual([]);
    expect((await api(null, 'GET', '/portal/me')).status).toBe(401);
  });
});

describe('creating and changing portal users', () => {
  it('a client user needs exactly one client', async () => {
    for (const clientIds of [undefined, null, [], [globex, initech]]) {
      const res = await api(t, 'POST', '/users', newUser(clientIds === undefined ? {} : { clientIds }));
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/exactly one client/);
      expect(res.body.error.issues.map((i: { path: string }) => i.path)).toEqual(['clientIds']);
    }
    const ok = await api(t, 'POST', '/users', newUser({ clientIds: [initech] }));
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ role: 'client', clientIds: [initech] });
    // Staff lists show portal users with their role.
    const listed = await api(t, 'GET', '/users?limit=1000');
    expect(listed.body.items).toContainEqual(expect.objectContaining({ id: ok.body.id, role: 'client', clientIds: [initech] }));
  });

  it('changing a user to or from client follows the same rule', async () => {
    const tech = await addUser(t, 'technician');
    const toClient = await api(t, 'PATCH', `/users/${tech.userId}`, { role: 'client' });
    expect(toClient.status).toBe(400);
    expect(toClient.body.error.message).toMatch(/exactly one client/);
    expect((await api(t, 'PATCH', `/users/${tech.userId}`, { role: 'client', clientIds: [globex, initech] })).status).toBe(400);
    expect((await api(t, 'GET', `/users/${tech.userId}`)).body).toMatchObject({ role: 'technician', clientIds: null });

    const moved = await api(t, 'PATCH', `/users/${tech.userId}`, { role: 'client', clientIds: [globex] });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ role: 'client', clientIds: [globex] });
    // Their session now opens the portal, not the dashboard.
    refusedAsPortal(await api(tech, 'GET', '/tickets'));
    expect((await api(tech, 'GET', '/portal/me')).body.client).toEqual({ id: globex, name: 'Globex' });

    expect((await api(t, 'PATCH', `/users/${tech.userId}`, { clientIds: null })).status).toBe(400);
    expect((await api(t, 'PATCH', `/users/${tech.userId}`, { clientIds: [globex, initech] })).status).toBe(400);
    const back = await api(t, 'PATCH', `/users/${tech.userId}`, { role: 'technician', clientIds: null });
    expect(back.status).toBe(200);
    expect((await api(tech, 'GET', '/tickets')).status).toBe(200);
    expect((await api(tech, 'GET', '/portal/me')).status).toBe(403);
  });

  it('only admins, within their own clients, create portal users', async () => {
    const tech = await addUser(t, 'technician');
    expect((await api(tech, 'POST', '/users', newUser({ clientIds: [globex] }))).status).toBe(403);
    const globexAdmin = await addUser(t, 'admin', [globex]);
    expect((await api(globexAdmin, 'POST', '/users', newUser({ clientIds: [initech] }))).status).toBe(403);
    expect((await api(globexAdmin, 'POST', '/users', newUser({ clientIds: [globex] }))).status).toBe(201);
  });
});
