import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { addUser, api, bootstrapTenant, createTenantDirect, insertDevice, type BootstrappedTenant } from '../../test/support';
import { assign, auditActions, cpuCheck, createSet, serviceCheck, storedKeys } from '../../test/checks';

const q = (sql: string, ...args: unknown[]) => env.DB.prepare(sql).bind(...args);

let t: BootstrappedTenant;
beforeAll(async () => {
  t = await bootstrapTenant();
});

const policy = async (name = 'On call') =>
  (await api(t, 'POST', '/escalation-policies', { name, tiers: [{ afterMinutes: 0, roles: ['admin'] }] })).body.id as string;

describe('check sets', () => {
  it('creates, reads, changes and lists sets, each change audited', async () => {
    const created = await api(t, 'POST', '/check-sets', {
      name: 'Servers',
      description: 'baseline',
      checks: [cpuCheck('cpu', 90), serviceCheck('sshd', 'ssh')],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Servers', description: 'baseline', escalationPolicyId: null, assignmentCount: 0 });
    // Stored as validated: defaults filled in.
    expect(created.body.checks[0]).toMatchObject({ key: 'cpu', op: 'above', forSeconds: 0, enabled: true });
    expect(created.body.checks[1]).toMatchObject({ key: 'sshd', intervalSeconds: 60, failAfter: 1, restart: false });
    const id = created.body.id;

    const changed = await api(t, 'PATCH', `/check-sets/${id}`, { name: 'Linux servers', checks: [cpuCheck('cpu', 95)] });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ id, name: 'Linux servers', recompile: { devices: 0, deferred: false } });
    expect(changed.body.checks.map((c: { key: string }) => c.key)).toEqual(['cpu']);
    expect(changed.body.updatedAt).toBeGreaterThanOrEqual(created.body.updatedAt);

    // Nothing changed: no write, no audit row.
    expect((await api(t, 'PATCH', `/check-sets/${id}`, { name: 'Linux servers' })).status).toBe(200);

    await api(t, 'POST', '/check-sets', { name: 'apps' });
    const list = await api(t, 'GET', '/check-sets');
    expect(list.body.items.map((s: { name: string }) => s.name)).toEqual(['apps', 'Linux servers']);
    expect((await api(t, 'GET', '/check-sets?q=LINUX')).body.items).toHaveLength(1);
    const page1 = await api(t, 'GET', '/check-sets?limit=1');
    expect(page1.body.nextCursor).toBeTruthy();
    const page2 = await api(t, 'GET', `/check-sets?limit=1&cursor=${page1.body.nextCursor}`);
    expect(page2.body.items[0].name).toBe('Linux servers');
    expect((await api(t, 'GET', `/check-sets/${id}`)).body.name).toBe('Linux servers');
    expect(await auditActions(id)).toEqual(['check_set.create', 'check_set.update']);
  });

  it('counts assignments, and deleting a set removes them and recompiles the devices', async () => {
    const device = await insertDevice(t);
    const id = await createSet(t, [cpuCheck('doomed', 80)]);
    await assign(t, id, 'device', device);
    await assign(t, id, 'site', t.siteId);
    expect((await api(t, 'GET', `/check-sets/${id}`)).body.assignmentCount).toBe(2);
    expect(await storedKeys(device)).toEqual(['doomed']);

    const res = await api(t, 'DELETE', `/check-sets/${id}`);
    expect(res.status).toBe(200);
    expect(res.body.recompile.devices).toBeGreaterThanOrEqual(1);
    expect(await q('SELECT COUNT(*) AS n FROM check_set_assignments WHERE check_set_id = ?', id).first()).toEqual({ n: 0 });
    expect(await storedKeys(device)).toEqual([]);
    expect((await api(t, 'GET', `/check-sets/${id}`)).status).toBe(404);
    expect(await auditActions(id)).toContain('check_set.delete');
  });

  it('recompiles assigned devices when the checks change, but not for a new description', async () => {
    const device = await insertDevice(t);
    const id = await createSet(t, [cpuCheck('load', 80)]);
    await assign(t, id, 'device', device);
    const before = (await q('SELECT version FROM device_checks WHERE device_id = ?', device).first<{ version: string }>())!.version;
    const described = await api(t, 'PATCH', `/check-sets/${id}`, { description: 'only words' });
    expect(described.body.recompile).toEqual({ devices: 0, deferred: false });
    const edited = await api(t, 'PATCH', `/check-sets/${id}`, { checks: [cpuCheck('load', 85)] });
    expect(edited.body.recompile).toEqual({ devices: 1, deferred: false });
    const after = (await q('SELECT version FROM device_checks WHERE device_id = ?', device).first<{ version: string }>())!.version;
    expect(after).not.toBe(before);
  });

  it('refuses checks the evaluators could not run, each with its reason', async () => {
    const cases: [string, unknown, RegExp][] = [
      ['a pattern that does not compile', { key: 'ev', name: 'Events', severity: 'warning', type: 'event_log', pattern: '(unclosed' }, /does not compile/],
      ['a threshold out of range', cpuCheck('cpu', 150), /threshold out of range/],
      ['an unknown metric', cpuCheck('gpu', 50, { metric: 'gpu' }), /Invalid type/],
    ];
    for (const [why, check, reason] of cases) {
      const res = await api(t, 'POST', '/check-sets', { name: 'Bad', checks: [check] });
      expect(res.status, why).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.issues[0].path, why).toMatch(/^checks\.0\./);
      expect(res.body.error.issues.map((i: { message: string }) => i.message).join(' | '), why).toMatch(reason);
    }
    const dup = await api(t, 'POST', '/check-sets', { name: 'Dup', checks: [cpuCheck('x', 50), cpuCheck('x', 60)] });
    expect(dup.status).toBe(400);
    expect(dup.body.error.issues[0].message).toMatch(/unique/);
    // PATCH validates the same way.
    const id = await createSet(t, []);
    expect((await api(t, 'PATCH', `/check-sets/${id}`, { checks: [cpuCheck('cpu', -1)] })).status).toBe(400);
    expect(await q("SELECT COUNT(*) AS n FROM check_sets WHERE name IN ('Bad', 'Dup')").first()).toEqual({ n: 0 });
  });

  it('accepts an escalation policy of the tenant only', async () => {
    const mine = await policy();
    const ok = await api(t, 'POST', '/check-sets', { name: 'With policy', escalationPolicyId: mine });
    expect(ok.status).toBe(201);
    expect(ok.body.escalationPolicyId).toBe(mine);

    const foreign = await createTenantDirect();
    const theirs = (await api(foreign, 'POST', '/escalation-policies', { name: 'Theirs', tiers: [{ afterMinutes: 0, roles: ['owner'] }] })).body.id;
    for (const bad of [theirs, 'esc_missing']) {
      const res = await api(t, 'POST', '/check-sets', { name: 'Bad policy', escalationPolicyId: bad });
      expect(res.status).toBe(400);
      expect(res.body.error.issues).toEqual([{ path: 'escalationPolicyId', message: 'no such escalation policy' }]);
      const patched = await api(t, 'PATCH', `/check-sets/${ok.body.id}`, { escalationPolicyId: bad });
      expect(patched.status).toBe(400);
      expect(patched.body.error.issues[0].path).toBe('escalationPolicyId');
    }
    expect((await api(t, 'GET', `/check-sets/${ok.body.id}`)).body.escalationPolicyId).toBe(mine);
    expect((await api(t, 'PATCH', `/check-sets/${ok.body.id}`, { escalationPolicyId: null })).body.escalationPolicyId).toBeNull();
  });

  it('every role reads; admins not limited to clients write', async () => {
    const id = await createSet(t, [cpuCheck('cpu', 90)]);
    const readonly = await addUser(t, 'readonly');
    const tech = await addUser(t, 'technician');
    const limitedAdmin = await addUser(t, 'admin', [t.clientId]);
    expect((await api(readonly, 'GET', '/check-sets')).status).toBe(200);
    expect((await api(tech, 'GET', `/check-sets/${id}`)).status).toBe(200);
    expect((await api(tech, 'POST', '/check-sets', { name: 'x' })).status).toBe(403);
    expect((await api(tech, 'PATCH', `/check-sets/${id}`, { name: 'x' })).status).toBe(403);
    expect((await api(tech, 'DELETE', `/check-sets/${id}`)).status).toBe(403);
    // A check set can run scripts on every client's devices: a client-limited admin may not author one.
    for (const [method, path, body] of [
      ['POST', '/check-sets', { name: 'x' }],
      ['PATCH', `/check-sets/${id}`, { name: 'x' }],
      ['DELETE', `/check-sets/${id}`, undefined],
    ] as const) {
      const res = await api(limitedAdmin, method, path, body);
      expect(res.status, `${method} ${path}`).toBe(403);
    }
    expect((await api(limitedAdmin, 'GET', `/check-sets/${id}`)).status).toBe(200);
    expect((await api(await addUser(t, 'admin'), 'PATCH', `/check-sets/${id}`, { name: 'Renamed by admin' })).status).toBe(200);
  });
});
