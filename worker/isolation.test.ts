import { beforeAll, describe, expect, it } from 'vitest';
import { api, createTenantDirect, insertDevice, snapshotTenant, addUser, tokenFor, type DirectTenant } from '../test/support';

/*
 * Tenant isolation, route by route: tenant A owns a resource, tenant B's owner (the
 * broadest role, so only the tenant boundary can refuse) calls the route with A's ids.
 * The answer must be the plain 404 of a missing id (or, for lists, nothing of A's), and
 * every row tenant A owns must be exactly as before.
 *
 * To cover a new route, append a row: `setup` creates what it needs in A (through the API
 * with `a`'s headers or the fixtures of test/support.ts) and returns the ids that fill the
 * `:placeholders` of `path` and feed `body`.
 */

type Ids = Record<string, string>;

interface Row {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Under /api/v1; `:name` is replaced by ids.name. */
  path: string;
  body?: (ids: Ids) => unknown;
  setup: (a: DirectTenant, b: DirectTenant) => Promise<Ids>;
  /** 404 (default); another status where A's id is refused as invalid input; 'absent' for lists. */
  expect?: number | 'absent';
}

const post = async (who: DirectTenant, path: string, body: unknown): Promise<string> => {
  const res = await api(who, 'POST', path, body);
  if (res.status !== 201) throw new Error(`setup ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id ?? res.body.item.id;
};
const client = (a: DirectTenant) => post(a, '/clients', { name: `A client ${Math.random()}` });
const site = async (a: DirectTenant) => post(a, '/sites', { clientId: a.clientId, name: 'A site' });
const group = (who: DirectTenant) => post(who, '/groups', { name: 'A group' });

const rows: Row[] = [
  // users
  { name: 'read a user', method: 'GET', path: '/users/:id', setup: async (a) => ({ id: a.userId }) },
  { name: 'rename a user', method: 'PATCH', path: '/users/:id', body: () => ({ name: 'Hijacked' }), setup: async (a) => ({ id: a.userId }) },
  { name: 'disable a user', method: 'DELETE', path: '/users/:id', setup: async (a) => ({ id: (await addUser(a, 'technician')).userId }) },
  {
    name: 'create a user limited to a foreign client',
    method: 'POST',
    path: '/users',
    body: (ids) => ({ email: `x${Math.random()}@example.test`, name: 'X', password: 'long enough password', role: 'readonly', clientIds: [ids.clientId] }),
    setup: async (a) => ({ clientId: a.clientId }),
    expect: 400,
  },
  {
    name: 'limit own user to a foreign client',
    method: 'PATCH',
    path: '/users/:self',
    body: (ids) => ({ clientIds: [ids.clientId] }),
    setup: async (a, b) => ({ self: b.userId, clientId: a.clientId }),
    expect: 400,
  },
  { name: 'list users', method: 'GET', path: '/users?limit=1000', setup: async (a) => ({ id: a.userId, email: a.email }), expect: 'absent' },
  // tokens
  {
    name: 'revoke a token',
    method: 'DELETE',
    path: '/tokens/:id',
    setup: async (a) => ({ id: await post(a, '/tokens', { name: 'A token' }) }),
  },
  {
    name: 'mint a token limited to a foreign client',
    method: 'POST',
    path: '/tokens',
    body: (ids) => ({ name: 'x', clientIds: [ids.clientId] }),
    setup: async (a) => ({ clientId: a.clientId }),
    expect: 400,
  },
  {
    name: 'list a foreign user\'s tokens',
    method: 'GET',
    path: '/tokens?userId=:userId',
    setup: async (a) => ({ userId: a.userId, id: await post(a, '/tokens', { name: 'A listed token' }) }),
    expect: 'absent',
  },
  // audit
  { name: 'read the audit log', method: 'GET', path: '/audit?limit=1000', setup: async (a) => ({ id: await client(a) }), expect: 'absent' },
  { name: 'filter the audit log by a foreign actor', method: 'GET', path: '/audit?actorId=:actor', setup: async (a) => ({ actor: a.userId }), expect: 'absent' },
  // clients
  { name: 'read a client', method: 'GET', path: '/clients/:id', setup: async (a) => ({ id: await client(a) }) },
  { name: 'rename a client', method: 'PATCH', path: '/clients/:id', body: () => ({ name: 'Hijacked' }), setup: async (a) => ({ id: await client(a) }) },
  { name: 'delete a client', method: 'DELETE', path: '/clients/:id', setup: async (a) => ({ id: await client(a) }) },
  { name: 'list clients', method: 'GET', path: '/clients?limit=1000', setup: async (a) => ({ id: await client(a) }), expect: 'absent' },
  // sites
  { name: 'read a site', method: 'GET', path: '/sites/:id', setup: async (a) => ({ id: await site(a) }) },
  { name: 'rename a site', method: 'PATCH', path: '/sites/:id', body: () => ({ name: 'Hijacked' }), setup: async (a) => ({ id: await site(a) }) },
  { name: 'delete a site', method: 'DELETE', path: '/sites/:id', setup: async (a) => ({ id: await site(a) }) },
  {
    name: 'create a site under a foreign client',
    method: 'POST',
    path: '/sites',
    body: (ids) => ({ clientId: ids.clientId, name: 'Planted' }),
    setup: async (a) => ({ clientId: a.clientId }),
  },
  { name: 'list a foreign client\'s sites', method: 'GET', path: '/sites?clientId=:clientId', setup: async (a) => ({ clientId: a.clientId, id: a.siteId }), expect: 'absent' },
  // groups
  { name: 'read a group', method: 'GET', path: '/groups/:id', setup: async (a) => ({ id: await group(a) }) },
  { name: 'rename a group', method: 'PATCH', path: '/groups/:id', body: () => ({ name: 'Hijacked' }), setup: async (a) => ({ id: await group(a) }) },
  { name: 'delete a group', method: 'DELETE', path: '/groups/:id', setup: async (a) => ({ id: await group(a) }) },
  { name: 'list groups', method: 'GET', path: '/groups?limit=1000', setup: async (a) => ({ id: await group(a) }), expect: 'absent' },
  {
    name: 'add a device to a foreign group',
    method: 'POST',
    path: '/groups/:id/members',
    body: (ids) => ({ deviceIds: [ids.device] }),
    setup: async (a, b) => ({ id: await group(a), device: await insertDevice(b) }),
  },
  {
    name: 'add a foreign device to an own group',
    method: 'POST',
    path: '/groups/:id/members',
    body: (ids) => ({ deviceIds: [ids.device] }),
    setup: async (a, b) => ({ id: await group(b), device: await insertDevice(a) }),
  },
  {
    name: 'remove a member of a foreign group',
    method: 'DELETE',
    path: '/groups/:id/members/:device',
    setup: async (a) => {
      const id = await group(a);
      const device = await insertDevice(a);
      await api(a, 'POST', `/groups/${id}/members`, { deviceIds: [device] });
      return { id, device };
    },
  },
  // devices
  { name: 'read a device', method: 'GET', path: '/devices/:id', setup: async (a) => ({ id: await insertDevice(a) }) },
  {
    name: 'rename and tag a device',
    method: 'PATCH',
    path: '/devices/:id',
    body: () => ({ displayName: 'Hijacked', tags: ['pwned'] }),
    setup: async (a) => ({ id: await insertDevice(a) }),
  },
  {
    name: 'move an own device to a foreign site',
    method: 'PATCH',
    path: '/devices/:own',
    body: (ids) => ({ siteId: ids.siteId }),
    setup: async (a, b) => ({ own: await insertDevice(b), siteId: a.siteId }),
  },
  { name: 'retire a device', method: 'DELETE', path: '/devices/:id', setup: async (a) => ({ id: await insertDevice(a) }) },
  { name: 'read device metrics', method: 'GET', path: '/devices/:id/metrics', setup: async (a) => ({ id: await insertDevice(a) }) },
  { name: 'open a device live socket', method: 'GET', path: '/devices/:id/live', setup: async (a) => ({ id: await insertDevice(a) }) },
  { name: 'list devices', method: 'GET', path: '/devices?limit=1000', setup: async (a) => ({ id: await insertDevice(a) }), expect: 'absent' },
  {
    name: 'filter devices by a foreign client',
    method: 'GET',
    path: '/devices?clientId=:clientId',
    setup: async (a) => ({ clientId: a.clientId, id: await insertDevice(a) }),
    expect: 'absent',
  },
  {
    name: 'list tags',
    method: 'GET',
    path: '/tags',
    setup: async (a) => {
      const id = await insertDevice(a);
      await api(a, 'PATCH', `/devices/${id}`, { tags: ['secret-tag-of-a'] });
      return { id, tag: 'secret-tag-of-a' };
    },
    expect: 'absent',
  },
  // commands
  {
    name: 'run a script on a foreign device',
    method: 'POST',
    path: '/devices/:id/commands',
    body: () => ({ type: 'run_script', params: { interpreter: 'sh', script: 'id' } }),
    setup: async (a) => ({ id: await insertDevice(a) }),
  },
  {
    name: "list a foreign device's commands",
    method: 'GET',
    path: '/devices/:id/commands',
    setup: async (a) => ({ id: await insertDevice(a) }),
  },
  {
    name: 'read a foreign command',
    method: 'GET',
    path: '/commands/:id',
    setup: async (a) => {
      const device = await insertDevice(a);
      const res = await api(a, 'POST', `/devices/${device}/commands`, { type: 'run_script', params: { interpreter: 'sh', script: 'id' } });
      if (res.status !== 202) throw new Error(`setup command: ${res.status}`);
      return { id: res.body.command.id };
    },
  },
  // enrollment keys
  {
    name: 'revoke an enrollment key',
    method: 'DELETE',
    path: '/enrollment-keys/:id',
    setup: async (a) => ({ id: await post(a, '/enrollment-keys', { name: 'A key', clientId: a.clientId, siteId: a.siteId }) }),
  },
  {
    name: 'make an enrollment key for a foreign client and site',
    method: 'POST',
    path: '/enrollment-keys',
    body: (ids) => ({ name: 'x', clientId: ids.clientId, siteId: ids.siteId }),
    setup: async (a) => ({ clientId: a.clientId, siteId: a.siteId }),
  },
  {
    name: 'make an enrollment key for a foreign site under an own client',
    method: 'POST',
    path: '/enrollment-keys',
    body: (ids) => ({ name: 'x', clientId: ids.own, siteId: ids.siteId }),
    setup: async (a, b) => ({ own: b.clientId, siteId: a.siteId }),
  },
  {
    name: 'list enrollment keys',
    method: 'GET',
    path: '/enrollment-keys',
    setup: async (a) => ({ id: await post(a, '/enrollment-keys', { name: 'A listed key', clientId: a.clientId, siteId: a.siteId }) }),
    expect: 'absent',
  },
];

let a: DirectTenant;
let b: DirectTenant;
beforeAll(async () => {
  a = await createTenantDirect('Tenant A');
  b = await createTenantDirect('Tenant B');
  // A second credential of A's, so A's sessions and tokens are part of what must not change.
  await tokenFor(a, 'readonly');
});

describe('tenant isolation', () => {
  for (const row of rows) {
    it(`${row.method} ${row.path}: ${row.name}`, async () => {
      const ids = await row.setup(a, b);
      const path = row.path.replace(/:([a-zA-Z]+)/g, (_, key: string) => {
        if (!(key in ids)) throw new Error(`setup returned no ${key}`);
        return encodeURIComponent(ids[key]);
      });
      const before = await snapshotTenant(a.tenantId);
      const res = await api(b, row.method, path, row.body?.(ids));
      const expected = row.expect ?? 404;
      if (expected === 'absent') {
        expect(res.status).toBe(200);
        const text = JSON.stringify(res.body);
        for (const value of [a.tenantId, ...Object.values(ids)]) expect(text).not.toContain(value);
      } else {
        expect(res.status).toBe(expected);
        if (expected === 404) {
          expect(res.body.error.code).toBe('not_found');
          // The route matched and refused: not the router's "no route" answer.
          expect(res.body.error.message).not.toMatch(/^no route/);
        }
      }
      expect(await snapshotTenant(a.tenantId)).toEqual(before);
    });
  }
});
