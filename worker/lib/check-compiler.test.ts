import { env } from 'cloudflare:test';
import * as v from 'valibot';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AgentCheckConfig } from '../../protocol/checks';
import { api, createTenantDirect, insertDevice, type DirectTenant } from '../../test/support';
import { connectAgent, enroll, makeEnrollmentKey, type TestAgent } from '../../test/agent-fixture';
import { hb, hello } from '../../durable/testing/fixtures';
import { assign, cpuCheck, createSet, hubChecks, scriptCheck, serviceCheck, storedChecks, storedKeys, verifiesWithTenantKey } from '../../test/checks';
import { getDb } from './db';
import { canonicalJson, compileDeviceChecks, mergeChecks, recompileDevices, SYNC_RECOMPILE_LIMIT } from './check-compiler';
import { devicesInScope, devicesOfCheckSet } from './check-targets';

const open: TestAgent[] = [];
afterEach(() => {
  for (const a of open.splice(0)) a.ws.close();
});

const pingCheck = (key: string, host: string, over: Record<string, unknown> = {}) => ({ key, name: `Ping ${host}`, severity: 'warning', type: 'ping', host, ...over });
/** One device's effective checks as `key: threshold-or-setName`, from the stored row. */
async function effective(deviceId: string) {
  const row = await storedChecks(deviceId);
  return Object.fromEntries((row?.checks ?? []).map((c) => [c.key, c as unknown as Record<string, unknown>]));
}

describe('check compiler: merging', () => {
  let t: DirectTenant;
  let sets: Record<string, string>;
  let d: { full: string; plain: string; tagged: string; otherClient: string };
  let other: { clientId: string; siteId: string };
  beforeAll(async () => {
    t = await createTenantDirect('Merge tenant');
    const clientId = (await api(t, 'POST', '/clients', { name: 'Other' })).body.id;
    const siteId = (await api(t, 'POST', '/sites', { clientId, name: 'Branch' })).body.id;
    other = { clientId, siteId };
    d = {
      full: await insertDevice(t),
      plain: await insertDevice(t),
      tagged: await insertDevice({ tenantId: t.tenantId, ...other }),
      otherClient: await insertDevice({ tenantId: t.tenantId, ...other }),
    };
    const policy = (await api(t, 'POST', '/escalation-policies', { name: 'Night', tiers: [{ afterMinutes: 0, roles: ['admin'] }] })).body.id;
    const group = (await api(t, 'POST', '/groups', { name: 'DB servers' })).body.id;
    await api(t, 'POST', `/groups/${group}/members`, { deviceIds: [d.full] });
    await api(t, 'PATCH', `/devices/${d.full}`, { tags: ['db'] });
    await api(t, 'PATCH', `/devices/${d.tagged}`, { tags: ['db', 'linux'] });
    sets = {
      tenant: await createSet(t, [cpuCheck('cpu', 90), serviceCheck('sshd', 'ssh'), pingCheck('gw', '10.0.0.1')], { name: 'Baseline' }),
      client: await createSet(t, [cpuCheck('cpu', 80)], { name: 'Client override', escalationPolicyId: policy }),
      site: await createSet(t, [cpuCheck('site-only', 50)], { name: 'Site' }),
      group: await createSet(t, [cpuCheck('cpu', 75), cpuCheck('group-only', 40)], { name: 'Group' }),
      tagDb: await createSet(t, [cpuCheck('cpu', 70)], { name: 'Tag db' }),
      tagLinux: await createSet(t, [cpuCheck('cpu', 65)], { name: 'Tag linux' }),
      device: await createSet(t, [cpuCheck('cpu', 60), pingCheck('gw', '10.0.0.1', { enabled: false })], { name: 'Device override' }),
    };
    // Assigned most specific first, so precedence cannot come from creation order.
    await assign(t, sets.device, 'device', d.full);
    await assign(t, sets.tagDb, 'tag', 'db');
    await assign(t, sets.tagLinux, 'tag', 'linux');
    await assign(t, sets.group, 'group', group);
    await assign(t, sets.site, 'site', t.siteId);
    await assign(t, sets.client, 'client', t.clientId);
    await assign(t, sets.tenant, 'tenant');
  });

  it('merges by key with tenant < client < site < group < tag < device, and a disabled check removes its key', async () => {
    const full = await effective(d.full);
    expect(Object.keys(full)).toEqual(['cpu', 'group-only', 'site-only', 'sshd']); // no gw: the device set disables it
    expect(full.cpu).toMatchObject({ threshold: 60, setId: sets.device, setName: 'Device override', escalationPolicyId: null });
    expect(full.sshd).toMatchObject({ setId: sets.tenant, setName: 'Baseline' });
    expect(full['group-only']).toMatchObject({ setId: sets.group });

    const plain = await effective(d.plain);
    expect(Object.keys(plain)).toEqual(['cpu', 'gw', 'site-only', 'sshd']);
    expect(plain.cpu).toMatchObject({ threshold: 80, setId: sets.client, escalationPolicyId: expect.stringMatching(/^esc_/) });

    // Two tags at one level: the newer assignment wins (deterministic, whatever the order of rows).
    expect((await effective(d.tagged)).cpu).toMatchObject({ threshold: 65, setId: sets.tagLinux });
    const bare = await effective(d.otherClient);
    expect(Object.keys(bare)).toEqual(['cpu', 'gw', 'sshd']);
    expect(bare.cpu).toMatchObject({ threshold: 90, setId: sets.tenant });
  });

  it('compiles the same result on demand as it stored, with a version that depends only on the checks', async () => {
    const db = getDb(env);
    const fresh = await compileDeviceChecks(db, t.tenantId, d.full);
    expect(fresh!.version).toBe((await storedChecks(d.full))!.version);
    expect(fresh!.version).toMatch(/^[0-9a-f]{16}$/);
    expect(await compileDeviceChecks(db, t.tenantId, 'dev_missing')).toBeNull();
    // A foreign tenant id finds nothing.
    expect(await compileDeviceChecks(db, (await createTenantDirect()).tenantId, d.full)).toBeNull();
    // Two devices with the same effective checks share a version; recompiling changes nothing.
    const twin = await insertDevice({ tenantId: t.tenantId, ...other });
    await recompileDevices(env, db, t.tenantId, [twin]);
    expect((await storedChecks(twin))!.version).toBe((await storedChecks(d.otherClient))!.version);
    const again = await recompileDevices(env, db, t.tenantId, [twin, d.otherClient]);
    expect(again).toEqual({ compiled: 2, pushed: 0, failed: 0 });
  });

  it('changes the version when a check changes, and back when it is restored', async () => {
    const before = (await storedChecks(d.otherClient))!.version;
    await api(t, 'PATCH', `/check-sets/${sets.tenant}`, { checks: [cpuCheck('cpu', 91), serviceCheck('sshd', 'ssh'), pingCheck('gw', '10.0.0.1')] });
    const edited = (await storedChecks(d.otherClient))!.version;
    expect(edited).not.toBe(before);
    await api(t, 'PATCH', `/check-sets/${sets.tenant}`, { checks: [cpuCheck('cpu', 90), serviceCheck('sshd', 'ssh'), pingCheck('gw', '10.0.0.1')] });
    expect((await storedChecks(d.otherClient))!.version).toBe(before);
  });

  it('finds the devices of each scope', async () => {
    const db = getDb(env);
    expect((await devicesInScope(db, t.tenantId, 'tag', 'db')).sort()).toEqual([d.full, d.tagged].sort());
    expect(await devicesInScope(db, t.tenantId, 'site', t.siteId)).toEqual(expect.arrayContaining([d.full, d.plain]));
    expect(await devicesInScope(db, t.tenantId, 'device', d.full)).toEqual([d.full]);
    expect(await devicesInScope(db, t.tenantId, 'client', other.clientId)).not.toContain(d.full);
    expect(await devicesInScope(db, (await createTenantDirect()).tenantId, 'device', d.full)).toEqual([]);
    // Every device any assignment of a set covers (what a set's change recompiles).
    const ofSet = async (set: string) => (await devicesOfCheckSet(db, t.tenantId, set)).sort();
    expect(await ofSet(sets.client)).toEqual([d.full, d.plain].sort());
    expect(await ofSet(sets.site)).toEqual([d.full, d.plain].sort());
    expect(await ofSet(sets.group)).toEqual([d.full]);
    expect(await ofSet(sets.tagDb)).toEqual([d.full, d.tagged].sort());
    expect(await ofSet(sets.device)).toEqual([d.full]);
    expect((await ofSet(sets.tenant)).length).toBeGreaterThanOrEqual(4);
  });

  it('canonical JSON ignores key order; merging is pure', () => {
    expect(canonicalJson({ b: 1, a: [{ y: 2, x: undefined, z: null }] })).toBe(canonicalJson({ a: [{ z: null, y: 2 }], b: 1 }));
    const check = v.parse(AgentCheckConfig.entries.checks.pipe[0].item, serviceCheck('svc', 'cron'));
    const set = { id: 'chk_1', name: 'S', escalationPolicyId: null, checks: [check] };
    const facts = { id: 'dev_1', clientId: 'cli_1', siteId: 'sit_1', groupIds: [], tags: [] };
    expect(mergeChecks(facts, [{ id: 'csa_1', checkSetId: 'chk_1', scopeType: 'client', scopeId: 'cli_2' }], new Map([['chk_1', set]]))).toEqual([]);
    expect(mergeChecks(facts, [{ id: 'csa_1', checkSetId: 'chk_1', scopeType: 'client', scopeId: 'cli_1' }], new Map([['chk_1', set]]))).toHaveLength(1);
  });
});

describe('check compiler: pushing to the device', () => {
  let t: DirectTenant;
  beforeAll(async () => {
    t = await createTenantDirect('Push tenant');
  });

  it('pushes the compiled checks to the hub with a signed agent config of the agent-run checks only', async () => {
    const device = await insertDevice(t);
    const set = await createSet(t, [cpuCheck('cpu', 90), serviceCheck('nginx', 'nginx'), scriptCheck('backup', 'test -f /backup/ok')]);
    await assign(t, set, 'device', device);
    const pushed = (await hubChecks(device))!;
    const stored = (await storedChecks(device))!;
    expect(pushed.version).toBe(stored.version);
    expect(pushed.compiledAt).toBe(stored.compiledAt);
    expect(pushed.checks.map((c) => c.key)).toEqual(['backup', 'cpu', 'nginx']);

    const signed = pushed.agentConfig!;
    expect(await verifiesWithTenantKey(t.tenantId, signed)).toBe(true);
    expect(await verifiesWithTenantKey(t.tenantId, { ...signed, payload: signed.payload.replace('nginx', 'apache') })).toBe(false);
    const config = v.parse(AgentCheckConfig, JSON.parse(signed.payload));
    expect(config).toMatchObject({ v: 1, type: 'checks', deviceId: device, tenantId: t.tenantId, version: pushed.version });
    expect(config.checks.map((c) => c.type)).toEqual(['script', 'service']);
    expect(JSON.parse(signed.payload).checks[0]).not.toHaveProperty('setId');
    expect(config.collectors.servicesSeconds).toBe(300);

    // Only hub-judged checks left: a signed, empty config tells the agent to stop its checks.
    await api(t, 'PATCH', `/check-sets/${set}`, { checks: [cpuCheck('cpu', 90)] });
    const emptied = (await hubChecks(device))!.agentConfig!;
    expect(await verifiesWithTenantKey(t.tenantId, emptied)).toBe(true);
    expect(v.parse(AgentCheckConfig, JSON.parse(emptied.payload)).checks).toEqual([]);
  });

  it('a device that never had checks and still has none gets its row without a hub push', async () => {
    const fresh = await createTenantDirect();
    const device = await insertDevice(fresh);
    expect(await recompileDevices(env, getDb(env), fresh.tenantId, [device])).toEqual({ compiled: 1, pushed: 0, failed: 0 });
    expect(await storedKeys(device)).toEqual([]);
    expect(await hubChecks(device)).toBeNull();
  });

  it('enrollment compiles the new device; the agent gets its config on connect and live on change', async () => {
    const tenantSet = await createSet(t, [serviceCheck('sshd', 'ssh')]);
    await assign(t, tenantSet, 'tenant');
    const { key } = await makeEnrollmentKey(t.headers, { name: 'k', clientId: t.clientId, siteId: t.siteId });
    const enrolled = (await (await enroll(key)).json()) as { deviceId: string; deviceToken: string };
    expect(await storedKeys(enrolled.deviceId)).toContain('sshd');

    const agent = await connectAgent(enrolled.deviceToken);
    open.push(agent);
    await agent.next('welcome');
    const first = await agent.next('checks');
    expect(await verifiesWithTenantKey(t.tenantId, first.config)).toBe(true);
    expect(JSON.parse(first.config.payload).checks.map((c: { key: string }) => c.key)).toContain('sshd');

    const mine = await createSet(t, [pingCheck('gw', '192.168.1.1')]);
    await assign(t, mine, 'device', enrolled.deviceId);
    const live = await agent.next('checks');
    const config = JSON.parse(live.config.payload);
    expect(config.checks.map((c: { key: string }) => c.key)).toEqual(expect.arrayContaining(['gw', 'sshd']));
    expect(config.issuedAt).toBeGreaterThanOrEqual(JSON.parse(first.config.payload).issuedAt);
  });

  it('recompiles when a device moves site, changes tags, or joins or leaves a group', async () => {
    const device = await insertDevice(t);
    const clientId = (await api(t, 'POST', '/clients', { name: 'Moved to' })).body.id;
    const siteId = (await api(t, 'POST', '/sites', { clientId, name: 'New site' })).body.id;
    const group = (await api(t, 'POST', '/groups', { name: 'Triggers' })).body.id;
    await assign(t, await createSet(t, [cpuCheck('at-site', 50)]), 'site', siteId);
    await assign(t, await createSet(t, [cpuCheck('at-client', 50)]), 'client', clientId);
    await assign(t, await createSet(t, [cpuCheck('tagged', 50)]), 'tag', 'web');
    await assign(t, await createSet(t, [cpuCheck('grouped', 50)]), 'group', group);
    const keys = async () => (await storedKeys(device)).filter((k) => ['at-site', 'at-client', 'tagged', 'grouped'].includes(k));

    expect((await api(t, 'PATCH', `/devices/${device}`, { siteId })).status).toBe(200);
    expect(await keys()).toEqual(['at-client', 'at-site']);
    await api(t, 'PATCH', `/devices/${device}`, { tags: ['web'] });
    expect(await keys()).toEqual(['at-client', 'at-site', 'tagged']);
    await api(t, 'POST', `/groups/${group}/members`, { deviceIds: [device] });
    expect(await keys()).toEqual(['at-client', 'at-site', 'grouped', 'tagged']);
    await api(t, 'DELETE', `/groups/${group}/members/${device}`);
    await api(t, 'PATCH', `/devices/${device}`, { tags: [], siteId: t.siteId });
    expect(await keys()).toEqual([]);
    expect((await hubChecks(device))!.checks.map((c) => c.key)).not.toContain('tagged');
  });

  it('GET /devices/:id/checks merges the stored checks with the hub states', async () => {
    const { key } = await makeEnrollmentKey(t.headers, { name: 'k2', clientId: t.clientId, siteId: t.siteId });
    const enrolled = (await (await enroll(key)).json()) as { deviceId: string; deviceToken: string };
    const set = await createSet(t, [cpuCheck('cpu-hot', 50), serviceCheck('never-run', 'x')]);
    await assign(t, set, 'device', enrolled.deviceId);
    const agent = await connectAgent(enrolled.deviceToken);
    open.push(agent);
    await agent.next('welcome');
    agent.send(hello());
    agent.send(hb(1, { cpuPercent: 97 }));
    await agent.next('hb_ack');

    const res = await api(t, 'GET', `/devices/${enrolled.deviceId}/checks`);
    expect(res.status).toBe(200);
    const stored = (await storedChecks(enrolled.deviceId))!;
    expect(res.body).toMatchObject({ version: stored.version, compiledAt: stored.compiledAt });
    const byKey = Object.fromEntries(res.body.checks.map((c: { key: string }) => [c.key, c]));
    expect(byKey['cpu-hot']).toMatchObject({ setId: set, threshold: 50, state: { status: 'breach', value: 97 } });
    expect(byKey['never-run'].state).toBeNull();
  });

  it('GET /devices/:id/checks compiles on the fly for a device never compiled', async () => {
    const device = await insertDevice(t); // straight to D1: no enrollment, no compile
    const res = await api(t, 'GET', `/devices/${device}/checks`);
    expect(res.status).toBe(200);
    expect(res.body.compiledAt).toBeNull();
    expect(res.body.version).toMatch(/^[0-9a-f]{16}$/);
    expect(res.body.checks.map((c: { key: string }) => c.key)).toContain('sshd'); // the tenant-wide set of the test above
    expect(await storedChecks(device)).toBeNull();
  });

  it(`recompiles more than ${SYNC_RECOMPILE_LIMIT} devices after the answer`, async () => {
    const big = await createTenantDirect('Big fleet');
    const ids: string[] = [];
    for (let i = 0; i <= SYNC_RECOMPILE_LIMIT; i++) ids.push(await insertDevice(big));
    const set = await createSet(big, [cpuCheck('fleet', 95)]);
    const res = await api(big, 'POST', '/check-set-assignments', { checkSetId: set, scopeType: 'tenant' });
    expect(res.status).toBe(201);
    expect(res.body.recompile).toEqual({ devices: SYNC_RECOMPILE_LIMIT + 1, deferred: true });
    const stored = async () =>
      (await env.DB.prepare('SELECT COUNT(*) AS n FROM device_checks WHERE tenant_id = ?').bind(big.tenantId).first<{ n: number }>())!.n;
    for (let i = 0; i < 200 && (await stored()) < ids.length; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await stored()).toBe(ids.length);
    expect((await hubChecks(ids[ids.length - 1]!))!.checks.map((c) => c.key)).toEqual(['fleet']);
  }, 60_000);
});
