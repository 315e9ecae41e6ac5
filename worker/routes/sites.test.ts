import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { addUser, api, bootstrapTenant, createTenantDirect, insertDevice, type BootstrappedTenant } from '../../test/support';

const q = (sql: string, ...args: unknown[]) => env.DB.prepare(sql).bind(...args);
const names = (res: { body: { items: { name: string }[] } }) => res.body.items.map((i) => i.name);

let t: BootstrappedTenant;
let second: string;
beforeAll(async () => {
  t = await bootstrapTenant();
  second = (await api(t, 'POST', '/clients', { name: 'Second Client' })).body.id;
});

describe('sites', () => {
  it('admins create sites under a client of theirs', async () => {
    const res = await api(t, 'POST', '/sites', { clientId: second, name: 'Warehouse', address: '1 Dock Rd' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ clientId: second, name: 'Warehouse', address: '1 Dock Rd', deviceCount: 0 });
    expect(res.body).not.toHaveProperty('tenantId');
    expect(await api(t, 'GET', `/sites/${res.body.id}`)).toMatchObject({ status: 200, body: res.body });
    expect(await q("SELECT detail FROM audit_log WHERE action = 'site.create' AND target_id = ?", res.body.id).first()).toEqual({
      detail: JSON.stringify({ name: 'Warehouse', clientId: second }),
    });
  });

  it('answers 404 for a client that is missing, foreign or hidden from the caller', async () => {
    const foreign = await createTenantDirect();
    expect((await api(t, 'POST', '/sites', { clientId: 'cli_missing', name: 'x' })).status).toBe(404);
    expect((await api(t, 'POST', '/sites', { clientId: foreign.clientId, name: 'x' })).status).toBe(404);
    const limited = await addUser(t, 'admin', [t.clientId]);
    expect((await api(limited, 'POST', '/sites', { clientId: second, name: 'x' })).status).toBe(404);
    expect((await api(limited, 'POST', '/sites', { clientId: t.clientId, name: 'Allowed' })).status).toBe(201);
    const sites = await q('SELECT COUNT(*) AS n FROM sites WHERE name = ?', 'x').first<{ n: number }>();
    expect(sites!.n).toBe(0);
  });

  it('lists by name, per client, only the caller\'s clients, with device counts', async () => {
    const north = (await api(t, 'POST', '/sites', { clientId: second, name: 'north' })).body.id;
    await insertDevice({ tenantId: t.tenantId, clientId: second, siteId: north });
    const ofSecond = await api(t, 'GET', `/sites?clientId=${second}`);
    expect(names(ofSecond)).toEqual(['north', 'Warehouse']);
    expect(ofSecond.body.items[0].deviceCount).toBe(1);
    expect(names(await api(t, 'GET', `/sites?clientId=${second}&q=WARE`))).toEqual(['Warehouse']);

    const tech = await addUser(t, 'technician', [t.clientId]);
    const mine = await api(tech, 'GET', '/sites');
    expect(mine.body.items.every((s: { clientId: string }) => s.clientId === t.clientId)).toBe(true);
    expect((await api(tech, 'GET', `/sites?clientId=${second}`)).body.items).toEqual([]);
    expect((await api(tech, 'GET', `/sites/${north}`)).status).toBe(404);
    expect((await api(await addUser(t, 'readonly'), 'GET', '/sites')).status).toBe(200);
  });

  it('updates name and address, not the client', async () => {
    const id = (await api(t, 'POST', '/sites', { clientId: second, name: 'Annex' })).body.id;
    const res = await api(t, 'PATCH', `/sites/${id}`, { address: '2 Side St', clientId: t.clientId });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'Annex', address: '2 Side St', clientId: second });
    expect((await api(await addUser(t, 'technician'), 'PATCH', `/sites/${id}`, { name: 'x' })).status).toBe(403);
  });

  it('deletes a site without devices, with its enrollment keys', async () => {
    const id = (await api(t, 'POST', '/sites', { clientId: second, name: 'Closing' })).body.id;
    const device = await insertDevice({ tenantId: t.tenantId, clientId: second, siteId: id });
    const busy = await api(t, 'DELETE', `/sites/${id}`);
    expect(busy.status).toBe(409);
    expect(busy.body.error.message).toContain('still has devices');
    await q('DELETE FROM devices WHERE id = ?', device).run();

    await q(
      'INSERT INTO enrollment_keys (id, tenant_id, client_id, site_id, name, key_hash, prefix, uses, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)',
      'enr_test',
      t.tenantId,
      second,
      id,
      'k',
      'hash-of-key',
      'tek_x',
      t.userId,
      Date.now(),
    ).run();
    expect((await api(t, 'DELETE', `/sites/${id}`)).status).toBe(204);
    expect(await q('SELECT id FROM enrollment_keys WHERE id = ?', 'enr_test').first()).toBeNull();
    expect((await api(t, 'GET', `/sites/${id}`)).status).toBe(404);
    expect(await q("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'site.delete' AND target_id = ?", id).first()).toEqual({ n: 1 });
  });

  it('validates bodies and queries', async () => {
    const res = await api(t, 'POST', '/sites', { name: 5, address: 'a'.repeat(501) });
    expect(res.status).toBe(400);
    expect(res.body.error.issues.map((i: { path: string }) => i.path)).toEqual(['clientId', 'name', 'address']);
    expect((await api(t, 'GET', `/sites?clientId=${'c'.repeat(65)}`)).status).toBe(400);
  });
});
