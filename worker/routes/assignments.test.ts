import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { addUser, api, bootstrapTenant, createTenantDirect, insertDevice, type BootstrappedTenant } from '../../test/support';
import { assign, auditActions, cpuCheck, createSet, storedKeys } from '../../test/checks';

const q = (sql: string, ...args: unknown[]) => env.DB.prepare(sql).bind(...args);
const count = async (setId: string) =>
  ((await q('SELECT COUNT(*) AS n FROM check_set_assignments WHERE check_set_id = ?', setId).first<{ n: number }>())!).n;

let t: BootstrappedTenant;
let other: { clientId: string; siteId: string };
let group: string;
let device: string;
let otherDevice: string;
beforeAll(async () => {
  t = await bootstrapTenant();
  const clientId = (await api(t, 'POST', '/clients', { name: 'Other client' })).body.id;
  const siteId = (await api(t, 'POST', '/sites', { clientId, name: 'Other site' })).body.id;
  other = { clientId, siteId };
  device = await insertDevice(t, { hostname: 'web-01' });
  otherDevice = await insertDevice({ tenantId: t.tenantId, ...other });
  group = (await api(t, 'POST', '/groups', { name: 'Web' })).body.id;
});

describe('check-set assignments', () => {
  it('assigns a set to every kind of scope, names the scope, and recompiles what it covers', async () => {
    const set = await createSet(t, [cpuCheck('cpu', 90)]);
    const tenantWide = await assign(t, set, 'tenant');
    expect(tenantWide).toMatchObject({ checkSetId: set, scopeType: 'tenant', scopeId: null, scopeName: null, recompile: { devices: 2, deferred: false } });
    expect(await storedKeys(device)).toEqual(['cpu']);
    expect(await storedKeys(otherDevice)).toEqual(['cpu']);

    const perScope = await createSet(t, [cpuCheck('cpu2', 80)]);
    const client = await assign(t, perScope, 'client', other.clientId);
    expect(client).toMatchObject({ scopeName: 'Other client', recompile: { devices: 1 } });
    expect((await assign(t, perScope, 'site', t.siteId)).scopeName).toBe('Main');
    expect((await assign(t, perScope, 'group', group)).scopeName).toBe('Web');
    expect((await assign(t, perScope, 'tag', 'linux')).scopeName).toBe('linux');
    const dev = await assign(t, perScope, 'device', device);
    expect(dev).toMatchObject({ scopeName: 'web-01', checkSetName: expect.stringMatching(/^Set /), recompile: { devices: 1 } });

    const list = await api(t, 'GET', `/check-set-assignments?checkSetId=${perScope}`);
    expect(list.body.items.map((a: { scopeType: string }) => a.scopeType)).toEqual(['device', 'tag', 'group', 'site', 'client']);
    expect((await api(t, 'GET', `/check-set-assignments?scopeType=tag&scopeId=linux`)).body.items).toHaveLength(1);
    const page = await api(t, 'GET', `/check-set-assignments?checkSetId=${perScope}&limit=2`);
    expect(page.body.items).toHaveLength(2);
    const rest = await api(t, 'GET', `/check-set-assignments?checkSetId=${perScope}&limit=10&cursor=${page.body.nextCursor}`);
    expect(rest.body.items).toHaveLength(3);
    expect((await api(t, 'GET', `/check-set-assignments/${dev.id}`)).body.scopeName).toBe('web-01');
    expect((await api(t, 'GET', '/check-sets/' + perScope)).body.assignmentCount).toBe(5);
    expect(await auditActions(perScope)).toEqual(['check_set.create', ...Array(5).fill('check_set.assign')]);
  });

  it('refuses a scope that does not exist in the tenant, and a missing set, with 404', async () => {
    const set = await createSet(t, []);
    const foreign = await createTenantDirect();
    const foreignDevice = await insertDevice(foreign);
    const foreignGroup = (await api(foreign, 'POST', '/groups', { name: 'F' })).body.id;
    const retired = await insertDevice(t, { revokedAt: Date.now() });
    const bad: [string, string][] = [
      ['client', foreign.clientId],
      ['site', foreign.siteId],
      ['group', foreignGroup],
      ['device', foreignDevice],
      ['device', retired],
      ['client', 'cli_missing'],
    ];
    for (const [scopeType, scopeId] of bad) {
      const res = await api(t, 'POST', '/check-set-assignments', { checkSetId: set, scopeType, scopeId });
      expect(res.status, `${scopeType} ${scopeId}`).toBe(404);
    }
    const foreignSet = await createSet(foreign, []);
    expect((await api(t, 'POST', '/check-set-assignments', { checkSetId: foreignSet, scopeType: 'tenant' })).status).toBe(404);
    expect(await count(set)).toBe(0);
    expect(await count(foreignSet)).toBe(0);
  });

  it('validates the body: scope kinds, tag text, ids', async () => {
    const set = await createSet(t, []);
    const cases: [unknown, string][] = [
      [{ checkSetId: set, scopeType: 'planet', scopeId: 'x' }, 'scopeType'],
      [{ checkSetId: set, scopeType: 'tag', scopeId: 'no/slashes' }, 'scopeId'],
      [{ checkSetId: set, scopeType: 'client' }, 'scopeId'],
      [{ scopeType: 'tenant' }, 'checkSetId'],
    ];
    for (const [body, path] of cases) {
      const res = await api(t, 'POST', '/check-set-assignments', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.issues.map((i: { path: string }) => i.path), JSON.stringify(body)).toContain(path);
    }
  });

  it('answers 409 for the same set twice on one scope, the tenant scope included', async () => {
    const set = await createSet(t, []);
    await assign(t, set, 'tenant');
    await assign(t, set, 'tag', 'db');
    for (const body of [{ scopeType: 'tenant' }, { scopeType: 'tag', scopeId: 'db' }]) {
      const res = await api(t, 'POST', '/check-set-assignments', { checkSetId: set, ...body });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('conflict');
    }
    expect(await count(set)).toBe(2);
  });

  it('removes an assignment and recompiles the devices it covered', async () => {
    const set = await createSet(t, [cpuCheck('removable', 70)]);
    const a = await assign(t, set, 'device', otherDevice);
    expect(await storedKeys(otherDevice)).toContain('removable');
    const res = await api(t, 'DELETE', `/check-set-assignments/${a.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: a.id, recompile: { devices: 1, deferred: false } });
    expect(await storedKeys(otherDevice)).not.toContain('removable');
    expect((await api(t, 'DELETE', `/check-set-assignments/${a.id}`)).status).toBe(404);
    expect(await auditActions(set)).toEqual(['check_set.create', 'check_set.assign', 'check_set.unassign']);
  });

  it('a client-limited admin assigns only within its clients and sees only those', async () => {
    const set = await createSet(t, []);
    const limited = await addUser(t, 'admin', [t.clientId]);
    expect((await api(limited, 'POST', '/check-set-assignments', { checkSetId: set, scopeType: 'client', scopeId: t.clientId })).status).toBe(201);
    expect((await api(limited, 'POST', '/check-set-assignments', { checkSetId: set, scopeType: 'device', scopeId: device })).status).toBe(201);
    for (const [scopeType, scopeId] of [
      ['client', other.clientId],
      ['site', other.siteId],
      ['device', otherDevice],
    ]) {
      expect((await api(limited, 'POST', '/check-set-assignments', { checkSetId: set, scopeType, scopeId })).status, scopeType).toBe(404);
    }
    for (const body of [{ scopeType: 'tenant' }, { scopeType: 'group', scopeId: group }, { scopeType: 'tag', scopeId: 'any' }]) {
      expect((await api(limited, 'POST', '/check-set-assignments', { checkSetId: set, ...body })).status, body.scopeType).toBe(403);
    }
    // An unlimited admin's assignment to the other client is invisible to the limited one.
    const hidden = await assign(t, set, 'client', other.clientId);
    const tenantWide = await assign(t, set, 'tenant');
    const seen = (await api(limited, 'GET', `/check-set-assignments?checkSetId=${set}`)).body.items.map((a: { id: string }) => a.id);
    expect(seen).not.toContain(hidden.id);
    expect(seen).toContain(tenantWide.id);
    expect((await api(limited, 'GET', `/check-set-assignments/${hidden.id}`)).status).toBe(404);
    expect((await api(limited, 'DELETE', `/check-set-assignments/${hidden.id}`)).status).toBe(404);
    expect((await api(limited, 'DELETE', `/check-set-assignments/${tenantWide.id}`)).status).toBe(403);
    expect((await api(limited, 'GET', `/check-sets/${set}`)).body.assignmentCount).toBe(3);
    expect((await api(t, 'GET', `/check-sets/${set}`)).body.assignmentCount).toBe(4);
    const tech = await addUser(t, 'technician');
    expect((await api(tech, 'POST', '/check-set-assignments', { checkSetId: set, scopeType: 'tag', scopeId: 'x' })).status).toBe(403);
    expect((await api(tech, 'GET', '/check-set-assignments')).status).toBe(200);
  });

  it('a group deleted takes its assignments along and recompiles its former members', async () => {
    const g = (await api(t, 'POST', '/groups', { name: 'Temporary' })).body.id;
    await api(t, 'POST', `/groups/${g}/members`, { deviceIds: [device] });
    const set = await createSet(t, [cpuCheck('grouped', 50)]);
    await assign(t, set, 'group', g);
    expect(await storedKeys(device)).toContain('grouped');
    expect((await api(t, 'DELETE', `/groups/${g}`)).status).toBe(204);
    expect(await count(set)).toBe(0);
    expect(await storedKeys(device)).not.toContain('grouped');
  });
});
