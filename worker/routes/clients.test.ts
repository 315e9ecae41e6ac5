import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { addUser, api, bootstrapTenant, insertDevice, type BootstrappedTenant } from '../../test/support';

const q = (sql: string, ...args: unknown[]) => env.DB.prepare(sql).bind(...args);
const names = (res: { body: { items: { name: string }[] } }) => res.body.items.map((i) => i.name);

let t: BootstrappedTenant;
beforeAll(async () => {
  t = await bootstrapTenant();
});

describe('clients', () => {
  it('admins create; the answer, the list and the audit agree', async () => {
    const res = await api(t, 'POST', '/clients', { name: '  Bravo Dental  ', notes: 'front desk' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'Bravo Dental', notes: 'front desk', deviceCount: 0 });
    expect(await api(t, 'GET', `/clients/${res.body.id}`)).toMatchObject({ status: 200, body: res.body });
    expect(await q("SELECT actor_id FROM audit_log WHERE action = 'client.create' AND target_id = ?", res.body.id).first()).toEqual({
      actor_id: t.userId,
    });
  });

  it('lists by name regardless of case, searches literally, and pages', async () => {
    for (const name of ['alpha Law', 'Charlie 100% Co', 'delta_ops']) await api(t, 'POST', '/clients', { name });
    const all = await api(t, 'GET', '/clients');
    expect(names(all)).toEqual(['alpha Law', 'Bravo Dental', 'Charlie 100% Co', 'delta_ops', 'Internal']);
    expect(names(await api(t, 'GET', '/clients?q=DENT'))).toEqual(['Bravo Dental']);
    expect(names(await api(t, 'GET', `/clients?q=${encodeURIComponent('%')}`))).toEqual(['Charlie 100% Co']);
    expect(names(await api(t, 'GET', '/clients?q=a_L'))).toEqual([]);
    expect(names(await api(t, 'GET', '/clients?q=a_o'))).toEqual(['delta_ops']);

    const seen: string[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page: { body: { items: { name: string }[]; nextCursor: string | null } } = await api(t, 'GET', `/clients?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.body.items.map((i) => i.name));
      cursor = page.body.nextCursor;
    }
    expect(seen).toEqual(names(all));
  });

  it('counts the devices of each client (revoked ones aside)', async () => {
    const id = (await api(t, 'POST', '/clients', { name: 'Counted' })).body.id;
    const site = (await api(t, 'POST', '/sites', { clientId: id, name: 'HQ' })).body.id;
    await insertDevice({ tenantId: t.tenantId, clientId: id, siteId: site });
    await insertDevice({ tenantId: t.tenantId, clientId: id, siteId: site });
    await insertDevice({ tenantId: t.tenantId, clientId: id, siteId: site }, { revokedAt: Date.now() });
    expect((await api(t, 'GET', `/clients/${id}`)).body.deviceCount).toBe(2);
    expect((await api(t, 'GET', '/clients?q=Counted')).body.items[0].deviceCount).toBe(2);
  });

  it('everyone reads (the dashboard filters need names); read-only users and technicians do not write', async () => {
    const tech = await addUser(t, 'technician');
    const ro = await addUser(t, 'readonly');
    expect((await api(tech, 'GET', '/clients')).status).toBe(200);
    expect((await api(ro, 'GET', '/clients')).status).toBe(200);
    expect((await api(ro, 'POST', '/clients', { name: 'Nope' })).status).toBe(403);
    expect((await api(tech, 'POST', '/clients', { name: 'Nope' })).status).toBe(403);
    expect((await api(tech, 'PATCH', `/clients/${t.clientId}`, { name: 'Nope' })).status).toBe(403);
    expect((await api(tech, 'DELETE', `/clients/${t.clientId}`)).status).toBe(403);
  });

  it('client-limited users see and change only their clients', async () => {
    const other = (await api(t, 'POST', '/clients', { name: 'Hidden Co' })).body.id;
    const tech = await addUser(t, 'technician', [t.clientId]);
    expect(names(await api(tech, 'GET', '/clients'))).toEqual(['Internal']);
    expect((await api(tech, 'GET', `/clients/${other}`)).status).toBe(404);

    const admin = await addUser(t, 'admin', [t.clientId]);
    expect((await api(admin, 'POST', '/clients', { name: 'Mine' })).status).toBe(403);
    expect((await api(admin, 'PATCH', `/clients/${other}`, { name: 'Taken' })).status).toBe(404);
    expect((await api(admin, 'DELETE', `/clients/${other}`)).status).toBe(404);
    expect((await api(t, 'GET', `/clients/${other}`)).body.name).toBe('Hidden Co');
    expect((await api(admin, 'PATCH', `/clients/${t.clientId}`, { notes: 'ours' })).body.notes).toBe('ours');
  });

  it('updates name and notes, and audits the fields changed', async () => {
    const id = (await api(t, 'POST', '/clients', { name: 'Old Name', notes: 'n' })).body.id;
    const res = await api(t, 'PATCH', `/clients/${id}`, { name: 'New Name', notes: null });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id, name: 'New Name', notes: null });
    const audit = await q("SELECT detail FROM audit_log WHERE action = 'client.update' AND target_id = ?", id).first<{ detail: string }>();
    expect(JSON.parse(audit!.detail)).toEqual({ fields: ['name', 'notes'], name: 'New Name' });
    expect((await api(t, 'PATCH', '/clients/cli_missing', { name: 'x' })).status).toBe(404);
  });

  it('refuses to delete a client that still has sites or devices, then deletes it (and its licences)', async () => {
    const id = (await api(t, 'POST', '/clients', { name: 'Leaving' })).body.id;
    const site = (await api(t, 'POST', '/sites', { clientId: id, name: 'Branch' })).body.id;
    const licence = await api(t, 'POST', '/licences', { product: 'Office', clientId: id, seats: 5, key: 'AAAA-BBBB', match: { name: 'office' } });
    expect(licence.status).toBe(201);
    const withSite = await api(t, 'DELETE', `/clients/${id}`);
    expect(withSite.status).toBe(409);
    expect(withSite.body.error).toMatchObject({ code: 'conflict' });
    expect(withSite.body.error.message).toContain('1 site(s)');

    const device = await insertDevice({ tenantId: t.tenantId, clientId: id, siteId: site });
    expect((await api(t, 'DELETE', `/sites/${site}`)).status).toBe(409);
    await q('DELETE FROM devices WHERE id = ?', device).run();
    expect((await api(t, 'DELETE', `/sites/${site}`)).status).toBe(204);

    expect((await api(t, 'DELETE', `/clients/${id}`)).status).toBe(204);
    expect((await api(t, 'GET', `/clients/${id}`)).status).toBe(404);
    expect((await api(t, 'DELETE', `/clients/${id}`)).status).toBe(404);
    expect((await api(t, 'GET', `/licences/${licence.body.id}`)).status).toBe(404);
    expect(await q('SELECT count(*) AS n FROM licences WHERE client_id = ?', id).first()).toEqual({ n: 0 });
    const actions = await q('SELECT action FROM audit_log WHERE target_id = ? ORDER BY id', id).all<{ action: string }>();
    expect(actions.results.map((r) => r.action)).toEqual(['client.create', 'client.delete']);
  });

  it('validates bodies and params', async () => {
    const bad = await api(t, 'POST', '/clients', { name: '   ', notes: 'x'.repeat(10_001) });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
    expect(bad.body.error.issues.map((i: { path: string }) => i.path)).toEqual(['name', 'notes']);
    expect((await api(t, 'POST', '/clients', { name: ['x'] })).status).toBe(400);
    expect((await api(t, 'POST', '/clients', '[1,')).status).toBe(400);
    expect((await api(t, 'GET', `/clients/${'x'.repeat(65)}`)).status).toBe(400);
  });
});
