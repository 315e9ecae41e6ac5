import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  addUser,
  api,
  bearerAuth,
  bootstrapTenant,
  createTenantDirect,
  ORIGIN,
  sessionFor,
  tokenFor,
  type BootstrappedTenant,
} from '../../test/support';

const newUser = (over: Record<string, unknown> = {}) => ({
  email: `u-${crypto.randomUUID().slice(0, 8)}@example.test`,
  name: 'New Person',
  password: 'a long enough password',
  role: 'technician',
  ...over,
});
const q = (sql: string, ...args: unknown[]) => env.DB.prepare(sql).bind(...args);
const paths = (res: { body: { error: { issues: { path: string }[] } } }) => res.body.error.issues.map((i) => i.path);

let t: BootstrappedTenant;
let otherClient: string;
beforeAll(async () => {
  t = await bootstrapTenant();
  otherClient = (await api(t, 'POST', '/clients', { name: 'Other Client' })).body.id;
});

describe('users: reading', () => {
  it('admins list the tenant\'s users, searchable and paged', async () => {
    const admin = await addUser(t, 'admin');
    await addUser(t, 'readonly');
    const all = await api(admin, 'GET', '/users');
    expect(all.status).toBe(200);
    expect(all.body.items.map((u: { id: string }) => u.id)).toEqual(expect.arrayContaining([t.userId, admin.userId]));
    expect(all.body.items[0]).not.toHaveProperty('passwordHash');

    const found = await api(admin, 'GET', `/users?q=${encodeURIComponent(admin.email.slice(0, 12))}`);
    expect(found.body.items.map((u: { id: string }) => u.id)).toEqual([admin.userId]);

    const first = await api(admin, 'GET', '/users?limit=1');
    expect(first.body.items).toHaveLength(1);
    expect(first.body.nextCursor).toBeTruthy();
    const second = await api(admin, 'GET', `/users?limit=1&cursor=${first.body.nextCursor}`);
    expect(second.body.items[0].id).not.toBe(first.body.items[0].id);
    expect((await api(admin, 'GET', '/users?cursor=nonsense!')).status).toBe(400);
    expect((await api(admin, 'GET', '/users?limit=0')).status).toBe(400);
  });

  it('others read only themselves', async () => {
    const tech = await addUser(t, 'technician');
    expect((await api(tech, 'GET', '/users')).status).toBe(403);
    const self = await api(tech, 'GET', `/users/${tech.userId}`);
    expect(self.status).toBe(200);
    expect(self.body).toMatchObject({ id: tech.userId, role: 'technician', clientIds: null, disabledAt: null });
    expect((await api(tech, 'GET', `/users/${t.userId}`)).status).toBe(403);
    expect((await api(tech, 'GET', '/users/usr_missing')).status).toBe(404);
  });

  it('answers 401 without a caller', async () => {
    expect((await api(null, 'GET', '/users')).status).toBe(401);
  });
});

describe('users: creating', () => {
  it('creates a user who can sign in, and audits it', async () => {
    const body = newUser({ clientIds: [t.clientId] });
    const res = await api(t, 'POST', '/users', body);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ email: body.email, role: 'technician', clientIds: [t.clientId], lastLoginAt: null });
    const audit = await q("SELECT actor_id FROM audit_log WHERE action = 'user.create' AND target_id = ?", res.body.id).first();
    expect(audit).toEqual({ actor_id: t.userId });
    const login = await api({ headers: { Origin: ORIGIN, 'cf-connecting-ip': '10.1.0.1' } }, 'POST', '/auth/login', {
      email: body.email,
      password: body.password,
    });
    expect(login.status).toBe(200);
  });

  it('never grants more than the creator has', async () => {
    const admin = await addUser(t, 'admin');
    expect((await api(admin, 'POST', '/users', newUser({ role: 'owner' }))).status).toBe(403);
    expect((await api(admin, 'POST', '/users', newUser({ role: 'admin' }))).status).toBe(201);
    expect((await api(t, 'POST', '/users', newUser({ role: 'owner' }))).status).toBe(201);

    const limited = await addUser(t, 'admin', [t.clientId]);
    expect((await api(limited, 'POST', '/users', newUser())).status).toBe(403);
    expect((await api(limited, 'POST', '/users', newUser({ clientIds: [otherClient] }))).status).toBe(403);
    expect((await api(limited, 'POST', '/users', newUser({ clientIds: [t.clientId] }))).status).toBe(201);

    const tech = await addUser(t, 'technician');
    expect((await api(tech, 'POST', '/users', newUser({ role: 'readonly' }))).status).toBe(403);
  });

  it('refuses unknown and foreign client ids', async () => {
    const foreign = await createTenantDirect();
    const res = await api(t, 'POST', '/users', newUser({ clientIds: [t.clientId, foreign.clientId, 'cli_nope'] }));
    expect(res.status).toBe(400);
    expect(paths(res)).toEqual(['clientIds.1', 'clientIds.2']);
  });

  it('keeps emails unique, whatever their case and tenant', async () => {
    const body = newUser();
    expect((await api(t, 'POST', '/users', body)).status).toBe(201);
    const again = await api(t, 'POST', '/users', { ...body, email: body.email.toUpperCase() });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('conflict');
    const foreign = await createTenantDirect();
    expect((await api(foreign, 'POST', '/users', { ...body })).status).toBe(409);
  });

  it('validates the body', async () => {
    const bad = await api(t, 'POST', '/users', { email: 'nope', name: '', password: 'short', role: 'god', clientIds: 'all' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
    expect(paths(bad)).toEqual(expect.arrayContaining(['email', 'name', 'password', 'role', 'clientIds']));
    const long = await api(t, 'POST', '/users', newUser({ name: 'n'.repeat(121) }));
    expect(paths(long)).toEqual(['name']);
  });

  it('needs our Origin for cookie calls, but not for tokens', async () => {
    expect((await api({ headers: { Cookie: t.cookie } }, 'POST', '/users', newUser())).status).toBe(403);
    expect((await api({ headers: { Cookie: t.cookie, Origin: 'https://evil.example' } }, 'POST', '/users', newUser())).status).toBe(403);
    const token = await tokenFor(t);
    expect((await api(bearerAuth(token), 'POST', '/users', newUser())).status).toBe(201);
  });
});

describe('users: changing', () => {
  it('lets anyone change their own name and password (with the current one)', async () => {
    const tech = await addUser(t, 'technician');
    const renamed = await api(tech, 'PATCH', `/users/${tech.userId}`, { name: 'Renamed' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe('Renamed');

    const noCurrent = await api(tech, 'PATCH', `/users/${tech.userId}`, { password: 'a brand new password' });
    expect(noCurrent.status).toBe(400);
    expect(paths(noCurrent)).toEqual(['currentPassword']);

    const elsewhere = { headers: { Cookie: await sessionFor(tech), Origin: ORIGIN } };
    expect((await api(elsewhere, 'GET', '/auth/me')).status).toBe(200);
    const changed = await api(tech, 'PATCH', `/users/${tech.userId}`, { password: 'a brand new password', currentPassword: tech.password });
    expect(changed.status).toBe(200);
    // The session used stays; every other session of the user ends.
    expect((await api(tech, 'GET', '/auth/me')).status).toBe(200);
    expect((await api(elsewhere, 'GET', '/auth/me')).status).toBe(401);
  });

  it('keeps role, clients and disabling for admins within their scope', async () => {
    const tech = await addUser(t, 'technician');
    expect((await api(tech, 'PATCH', `/users/${tech.userId}`, { role: 'admin' })).status).toBe(403);
    expect((await api(tech, 'PATCH', `/users/${t.userId}`, { name: 'x' })).status).toBe(403);

    const admin = await addUser(t, 'admin');
    expect((await api(admin, 'PATCH', `/users/${t.userId}`, { password: 'take over the owner' })).status).toBe(403);
    expect((await api(admin, 'PATCH', `/users/${tech.userId}`, { role: 'owner' })).status).toBe(403);
    const promoted = await api(admin, 'PATCH', `/users/${tech.userId}`, { role: 'admin', clientIds: [t.clientId] });
    expect(promoted.status).toBe(200);
    expect(promoted.body).toMatchObject({ role: 'admin', clientIds: [t.clientId] });
    const audit = await q("SELECT detail FROM audit_log WHERE action = 'user.update' AND target_id = ?", tech.userId).first<{ detail: string }>();
    expect(JSON.parse(audit!.detail)).toMatchObject({ role: 'admin', clientIds: [t.clientId] });

    const limited = await addUser(t, 'admin', [t.clientId]);
    const unlimited = await addUser(t, 'technician');
    expect((await api(limited, 'PATCH', `/users/${unlimited.userId}`, { name: 'x' })).status).toBe(403);
  });

  it('never leaves the tenant without an active owner, even under racing demotions', async () => {
    const solo = await createTenantDirect();
    const demote = await api(solo, 'PATCH', `/users/${solo.userId}`, { role: 'admin' });
    expect(demote.status).toBe(409);
    expect(demote.body.error.code).toBe('conflict');
    expect((await q('SELECT role FROM users WHERE id = ?', solo.userId).first())).toEqual({ role: 'owner' });

    const second = await addUser(solo, 'owner');
    const [a, b] = await Promise.all([
      api(solo, 'PATCH', `/users/${second.userId}`, { role: 'admin' }),
      api(second, 'PATCH', `/users/${solo.userId}`, { role: 'admin' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const owners = await q("SELECT COUNT(*) AS n FROM users WHERE tenant_id = ? AND role = 'owner' AND disabled_at IS NULL", solo.tenantId).first<{ n: number }>();
    expect(owners!.n).toBe(1);
    const audits = await q("SELECT COUNT(*) AS n FROM audit_log WHERE tenant_id = ? AND action = 'user.update'", solo.tenantId).first<{ n: number }>();
    expect(audits!.n).toBe(1);
  });

  it('refuses to disable yourself', async () => {
    const admin = await addUser(t, 'admin');
    const res = await api(admin, 'PATCH', `/users/${admin.userId}`, { disabled: true });
    expect(res.status).toBe(409);
    expect((await api(admin, 'DELETE', `/users/${admin.userId}`)).status).toBe(409);
  });

  it('disabling ends the user\'s sessions and tokens; enabling lets them sign in again', async () => {
    const tech = await addUser(t, 'technician');
    const token = await tokenFor(tech);
    expect((await api(bearerAuth(token), 'GET', '/auth/me')).status).toBe(200);
    expect((await api(t, 'DELETE', `/users/${tech.userId}`)).status).toBe(204);
    expect((await api(tech, 'GET', '/auth/me')).status).toBe(401);
    expect((await api(bearerAuth(token), 'GET', '/auth/me')).status).toBe(401);
    expect((await q('SELECT COUNT(*) AS n FROM sessions WHERE user_id = ?', tech.userId).first<{ n: number }>())!.n).toBe(0);
    expect(await q("SELECT actor_id FROM audit_log WHERE action = 'user.disable' AND target_id = ?", tech.userId).first()).toEqual({
      actor_id: t.userId,
    });

    const enabled = await api(t, 'PATCH', `/users/${tech.userId}`, { disabled: false });
    expect(enabled.status).toBe(200);
    expect(enabled.body.disabledAt).toBeNull();
    expect((await api(bearerAuth(token), 'GET', '/auth/me')).status).toBe(200);
  });

  it('answers 409 for an email already in use and 404 for a missing user', async () => {
    const a = await addUser(t, 'readonly');
    const res = await api(t, 'PATCH', `/users/${a.userId}`, { email: t.email });
    expect(res.status).toBe(409);
    expect((await api(t, 'PATCH', '/users/usr_missing', { name: 'x' })).status).toBe(404);
    expect((await api(t, 'DELETE', '/users/usr_missing')).status).toBe(404);
  });

  it('validates the body', async () => {
    const res = await api(t, 'PATCH', `/users/${t.userId}`, { name: 7, disabled: 'yes', clientIds: [1] });
    expect(res.status).toBe(400);
    expect(paths(res)).toEqual(expect.arrayContaining(['name', 'disabled', 'clientIds.0']));
  });
});

