import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { addUser, api, bootstrapTenant, createTenantDirect, type Auth, type BootstrappedTenant } from '../../test/support';
import { auditActions } from '../../test/checks';
import { receiverTarget } from '../../test/receiver-client';

const q = (sql: string, ...args: unknown[]) => env.DB.prepare(sql).bind(...args);
const defaults = async () =>
  (await q('SELECT name FROM escalation_policies WHERE tenant_id = ? AND is_default = 1 ORDER BY name', t.tenantId).all<{ name: string }>()).results.map((r) => r.name);

let t: BootstrappedTenant;
beforeAll(async () => {
  t = await bootstrapTenant();
});

const tiers = (userIds: string[] = []) => [
  { afterMinutes: 0, roles: ['technician'] },
  { afterMinutes: 30, userIds, roles: userIds.length ? [] : ['admin'] },
];

describe('escalation policies', () => {
  it('creates, reads, changes, lists and deletes policies, each change audited', async () => {
    const tech = await addUser(t, 'technician');
    const created = await api(t, 'POST', '/escalation-policies', { name: 'Business hours', tiers: tiers([tech.userId]), repeatEveryMinutes: 60 });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Business hours', repeatEveryMinutes: 60, isDefault: false });
    expect(created.body.tiers[1]).toEqual({ afterMinutes: 30, userIds: [tech.userId], roles: [], integrationIds: [] });
    const id = created.body.id;

    const changed = await api(t, 'PATCH', `/escalation-policies/${id}`, { name: 'Office hours', repeatEveryMinutes: null });
    expect(changed.body).toMatchObject({ id, name: 'Office hours', repeatEveryMinutes: null });
    expect((await api(t, 'PATCH', `/escalation-policies/${id}`, { name: 'Office hours' })).status).toBe(200);
    await api(t, 'POST', '/escalation-policies', { name: 'after hours', tiers: tiers() });
    const list = await api(t, 'GET', '/escalation-policies?q=hours');
    expect(list.body.items.map((p: { name: string }) => p.name)).toEqual(['after hours', 'Office hours']);
    expect((await api(t, 'GET', `/escalation-policies/${id}`)).body.name).toBe('Office hours');

    expect((await api(t, 'DELETE', `/escalation-policies/${id}`)).status).toBe(204);
    expect((await api(t, 'GET', `/escalation-policies/${id}`)).status).toBe(404);
    expect(await auditActions(id)).toEqual(['escalation_policy.create', 'escalation_policy.update', 'escalation_policy.delete']);
  });

  it('keeps at most one default: setting one clears the other', async () => {
    const a = (await api(t, 'POST', '/escalation-policies', { name: 'Default A', tiers: tiers(), isDefault: true })).body.id;
    expect(await defaults()).toEqual(['Default A']);
    const b = (await api(t, 'POST', '/escalation-policies', { name: 'Default B', tiers: tiers(), isDefault: true })).body;
    expect(b.isDefault).toBe(true);
    expect(await defaults()).toEqual(['Default B']);
    expect((await api(t, 'PATCH', `/escalation-policies/${a}`, { isDefault: true })).body.isDefault).toBe(true);
    expect(await defaults()).toEqual(['Default A']);
    expect((await api(t, 'GET', `/escalation-policies/${b.id}`)).body.isDefault).toBe(false);
    expect((await api(t, 'PATCH', `/escalation-policies/${a}`, { isDefault: false })).body.isDefault).toBe(false);
    expect(await defaults()).toEqual([]);
    // Another tenant's default is untouched.
    const foreign = await createTenantDirect();
    await api(foreign, 'POST', '/escalation-policies', { name: 'Theirs', tiers: tiers(), isDefault: true });
    await api(t, 'PATCH', `/escalation-policies/${a}`, { isDefault: true });
    expect(await q('SELECT COUNT(*) AS n FROM escalation_policies WHERE tenant_id = ? AND is_default = 1', foreign.tenantId).first()).toEqual({ n: 1 });
  });

  it('refuses tier users that are not active staff users of the tenant', async () => {
    const foreign = await createTenantDirect();
    const disabled = await addUser(t, 'technician');
    await q('UPDATE users SET disabled_at = ? WHERE id = ?', Date.now(), disabled.userId).run();
    const portal = await addUser(t, 'client', [t.clientId]);
    const mine = await addUser(t, 'technician');
    for (const bad of [foreign.userId, disabled.userId, portal.userId, 'usr_missing']) {
      const res = await api(t, 'POST', '/escalation-policies', { name: 'Bad users', tiers: tiers([mine.userId, bad]) });
      expect(res.status, bad).toBe(400);
      expect(res.body.error.issues).toEqual([{ path: 'tiers.1.userIds.1', message: 'no such active staff user in this tenant' }]);
    }
    expect((await api(t, 'POST', '/escalation-policies', { name: 'Portal role', tiers: [{ afterMinutes: 0, roles: ['client'] }] })).status).toBe(400);
    const id = (await api(t, 'POST', '/escalation-policies', { name: 'Good users', tiers: tiers([mine.userId]) })).body.id;
    expect((await api(t, 'PATCH', `/escalation-policies/${id}`, { tiers: tiers([foreign.userId]) })).status).toBe(400);
    expect(await q("SELECT COUNT(*) AS n FROM escalation_policies WHERE name = 'Bad users'").first()).toEqual({ n: 0 });
  });

  it('lets a tier name the tenant\'s integrations, and refuses another tenant\'s as not found', async () => {
    const webhook = (auth: Auth, name: string) =>
      api(auth, 'POST', '/integrations', { kind: 'webhook', name, config: { url: receiverTarget('esc').url } }).then((r) => r.body.id as string);
    const foreign = await createTenantDirect();
    const mine = await webhook(t, 'Pager bridge');
    const theirs = await webhook(foreign, 'Their bridge');
    // A tier may page channels only.
    const created = await api(t, 'POST', '/escalation-policies', { name: 'Channels', tiers: [{ afterMinutes: 0, integrationIds: [mine] }] });
    expect(created.status).toBe(201);
    expect(created.body.tiers).toEqual([{ afterMinutes: 0, userIds: [], roles: [], integrationIds: [mine] }]);
    for (const bad of [theirs, 'itg_missing']) {
      const res = await api(t, 'POST', '/escalation-policies', { name: 'Bad channels', tiers: [{ afterMinutes: 0, roles: ['admin'], integrationIds: [mine, bad] }] });
      expect(res.status, bad).toBe(400);
      expect(res.body.error.issues).toEqual([{ path: 'tiers.0.integrationIds.1', message: 'integration not found' }]);
      const patched = await api(t, 'PATCH', `/escalation-policies/${created.body.id}`, { tiers: [{ afterMinutes: 0, integrationIds: [bad] }] });
      expect(patched.status, bad).toBe(400);
    }
    // The answers for a foreign id and a missing one are the same: nothing leaks.
    const a = await api(t, 'POST', '/escalation-policies', { name: 'Bad channels', tiers: [{ afterMinutes: 0, integrationIds: [theirs] }] });
    const b = await api(t, 'POST', '/escalation-policies', { name: 'Bad channels', tiers: [{ afterMinutes: 0, integrationIds: ['itg_missing'] }] });
    expect(a.body.error).toEqual(b.body.error);
    expect((await api(t, 'GET', `/escalation-policies/${created.body.id}`)).body.tiers[0].integrationIds).toEqual([mine]);
    expect(await q("SELECT COUNT(*) AS n FROM escalation_policies WHERE name = 'Bad channels'").first()).toEqual({ n: 0 });
    // At most ten per tier.
    const many = Array.from({ length: 11 }, () => mine);
    expect((await api(t, 'POST', '/escalation-policies', { name: 'Too many', tiers: [{ afterMinutes: 0, integrationIds: many }] })).status).toBe(400);
  });

  it('validates tiers', async () => {
    const cases: [unknown, string][] = [
      [[], 'tiers'],
      [[{ afterMinutes: 0 }], 'tiers.0'],
      [[{ afterMinutes: 10, roles: ['admin'] }, { afterMinutes: 5, roles: ['admin'] }], 'tiers'],
      [[{ afterMinutes: -1, roles: ['admin'] }], 'tiers.0.afterMinutes'],
    ];
    for (const [bad, path] of cases) {
      const res = await api(t, 'POST', '/escalation-policies', { name: 'Invalid', tiers: bad });
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(res.body.error.issues.map((i: { path: string }) => i.path), JSON.stringify(bad)).toContain(path);
    }
  });

  it('refuses to delete a policy a check set uses, naming the sets', async () => {
    const id = (await api(t, 'POST', '/escalation-policies', { name: 'In use', tiers: tiers() })).body.id;
    for (const name of ['Servers', 'Laptops']) await api(t, 'POST', '/check-sets', { name, escalationPolicyId: id });
    const res = await api(t, 'DELETE', `/escalation-policies/${id}`);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('conflict');
    expect(res.body.error.message).toContain('"Laptops", "Servers"');
    expect((await api(t, 'GET', `/escalation-policies/${id}`)).status).toBe(200);
    expect(await auditActions(id)).toEqual(['escalation_policy.create']);
  });

  it('every role reads; admins not limited to clients write', async () => {
    const id = (await api(t, 'POST', '/escalation-policies', { name: 'Roles', tiers: tiers() })).body.id;
    const readonly = await addUser(t, 'readonly');
    const tech = await addUser(t, 'technician');
    const limitedAdmin = await addUser(t, 'admin', [t.clientId]);
    expect((await api(readonly, 'GET', '/escalation-policies')).status).toBe(200);
    expect((await api(tech, 'GET', `/escalation-policies/${id}`)).status).toBe(200);
    expect((await api(tech, 'POST', '/escalation-policies', { name: 'x', tiers: tiers() })).status).toBe(403);
    expect((await api(limitedAdmin, 'POST', '/escalation-policies', { name: 'x', tiers: tiers() })).status).toBe(403);
    expect((await api(limitedAdmin, 'PATCH', `/escalation-policies/${id}`, { isDefault: true })).status).toBe(403);
    expect((await api(limitedAdmin, 'DELETE', `/escalation-policies/${id}`)).status).toBe(403);
  });
});
