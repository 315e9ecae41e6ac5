import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { addUser, api, bootstrapTenant, createTenantDirect, insertDevice, type BootstrappedTenant } from '../../test/support';

const q = (sql: string, ...args: unknown[]) => env.DB.prepare(sql).bind(...args);
const members = async (groupId: string) =>
  (await q('SELECT device_id FROM device_group_members WHERE group_id = ? ORDER BY device_id', groupId).all<{ device_id: string }>()).results.map(
    (r) => r.device_id,
  );

let t: BootstrappedTenant;
let other: { clientId: string; siteId: string };
let mine: string[];
let theirs: string;
beforeAll(async () => {
  t = await bootstrapTenant();
  const clientId = (await api(t, 'POST', '/clients', { name: 'Other' })).body.id;
  const siteId = (await api(t, 'POST', '/sites', { clientId, name: 'Other Site' })).body.id;
  other = { clientId, siteId };
  mine = [await insertDevice(t), await insertDevice(t)];
  theirs = await insertDevice({ tenantId: t.tenantId, ...other });
});

describe('groups', () => {
  it('creates, reads, renames and lists groups', async () => {
    const res = await api(t, 'POST', '/groups', { name: 'Servers', description: 'all servers' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'Servers', description: 'all servers', deviceCount: 0 });
    const renamed = await api(t, 'PATCH', `/groups/${res.body.id}`, { name: 'Linux servers' });
    expect(renamed.body).toMatchObject({ id: res.body.id, name: 'Linux servers', description: 'all servers' });
    await api(t, 'POST', '/groups', { name: 'laptops' });
    const list = await api(t, 'GET', '/groups');
    expect(list.body.items.map((g: { name: string }) => g.name)).toEqual(['laptops', 'Linux servers']);
    expect((await api(t, 'GET', '/groups?q=LINUX')).body.items).toHaveLength(1);
    const actions = await q('SELECT action FROM audit_log WHERE target_id = ? ORDER BY id', res.body.id).all<{ action: string }>();
    expect(actions.results.map((r) => r.action)).toEqual(['group.create', 'group.update']);
  });

  it('adds visible devices of the tenant, idempotently, and counts them', async () => {
    const id = (await api(t, 'POST', '/groups', { name: 'Patch ring 1' })).body.id;
    const added = await api(t, 'POST', `/groups/${id}/members`, { deviceIds: [...mine, mine[0]] });
    expect(added.status).toBe(200);
    expect(added.body).toEqual({ added: 2, deviceCount: 2 });
    const again = await api(t, 'POST', `/groups/${id}/members`, { deviceIds: [mine[0], theirs] });
    expect(again.body).toEqual({ added: 1, deviceCount: 3 });
    expect(await members(id)).toEqual([...mine, theirs].sort());
    expect((await api(t, 'GET', `/groups/${id}`)).body.deviceCount).toBe(3);

    // A client-limited technician sees the group but counts only the devices they may see.
    const tech = await addUser(t, 'technician', [t.clientId]);
    const seen = (await api(tech, 'GET', '/groups')).body.items.find((g: { id: string }) => g.id === id);
    expect(seen.deviceCount).toBe(2);
  });

  it('adds nothing when any device is missing, foreign, revoked or hidden from the caller', async () => {
    const id = (await api(t, 'POST', '/groups', { name: 'Strict' })).body.id;
    const foreign = await createTenantDirect();
    const foreignDevice = await insertDevice(foreign);
    const revoked = await insertDevice(t, { revokedAt: Date.now() });
    for (const bad of ['dev_missing', foreignDevice, revoked]) {
      const res = await api(t, 'POST', `/groups/${id}/members`, { deviceIds: [mine[0], bad] });
      expect(res.status, bad).toBe(404);
    }
    const limited = await addUser(t, 'admin', [t.clientId]);
    expect((await api(limited, 'POST', `/groups/${id}/members`, { deviceIds: [mine[0], theirs] })).status).toBe(404);
    expect(await members(id)).toEqual([]);
    expect((await api(limited, 'POST', `/groups/${id}/members`, { deviceIds: [mine[0]] })).body).toEqual({ added: 1, deviceCount: 1 });
  });

  it('removes a member; a non-member or hidden device answers 404', async () => {
    const id = (await api(t, 'POST', '/groups', { name: 'Removal' })).body.id;
    await api(t, 'POST', `/groups/${id}/members`, { deviceIds: [mine[0], theirs] });
    const limited = await addUser(t, 'admin', [t.clientId]);
    expect((await api(limited, 'DELETE', `/groups/${id}/members/${theirs}`)).status).toBe(404);
    expect((await api(t, 'DELETE', `/groups/${id}/members/${mine[1]}`)).status).toBe(404);
    expect((await api(t, 'DELETE', `/groups/${id}/members/${mine[0]}`)).status).toBe(204);
    expect(await members(id)).toEqual([theirs]);
    const audits = await q("SELECT detail FROM audit_log WHERE action = 'group.members.remove' AND target_id = ?", id).all<{ detail: string }>();
    expect(audits.results.map((r) => JSON.parse(r.detail))).toEqual([{ deviceId: mine[0] }]);
  });

  it('deletes a group with its memberships, leaving the devices', async () => {
    const id = (await api(t, 'POST', '/groups', { name: 'Temporary' })).body.id;
    await api(t, 'POST', `/groups/${id}/members`, { deviceIds: mine });
    expect((await api(t, 'DELETE', `/groups/${id}`)).status).toBe(204);
    expect(await members(id)).toEqual([]);
    expect((await api(t, 'GET', `/groups/${id}`)).status).toBe(404);
    expect(await q('SELECT COUNT(*) AS n FROM devices WHERE id IN (?, ?)', ...mine).first()).toEqual({ n: 2 });
  });

  it('technicians read, admins write', async () => {
    const tech = await addUser(t, 'technician');
    const id = (await api(t, 'POST', '/groups', { name: 'Roles' })).body.id;
    expect((await api(tech, 'GET', `/groups/${id}`)).status).toBe(200);
    expect((await api(tech, 'POST', '/groups', { name: 'x' })).status).toBe(403);
    expect((await api(tech, 'POST', `/groups/${id}/members`, { deviceIds: mine })).status).toBe(403);
    expect((await api(tech, 'DELETE', `/groups/${id}`)).status).toBe(403);
    expect((await api(await addUser(t, 'readonly'), 'GET', '/groups')).status).toBe(200);
  });

  it('validates bodies', async () => {
    const id = (await api(t, 'POST', '/groups', { name: 'Validation' })).body.id;
    const empty = await api(t, 'POST', `/groups/${id}/members`, { deviceIds: [] });
    expect(empty.status).toBe(400);
    expect(empty.body.error.issues[0].path).toBe('deviceIds');
    const tooMany = await api(t, 'POST', `/groups/${id}/members`, { deviceIds: Array.from({ length: 501 }, (_, i) => `dev_${i}`) });
    expect(tooMany.status).toBe(400);
    const wrongType = await api(t, 'POST', `/groups/${id}/members`, { deviceIds: [mine[0], 7] });
    expect(wrongType.body.error.issues[0].path).toBe('deviceIds.1');
    expect((await api(t, 'POST', '/groups', { description: 'no name' })).body.error.issues[0].path).toBe('name');
  });
});
