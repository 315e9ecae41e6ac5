import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { addUser, api, createTenantDirect, insertDevice, type Auth, type DirectTenant } from '../../test/support';
import { enrollDevices, JobAgent, jobOf, script, waitOnline } from '../../durable/testing/jobs';

/*
 * The jobs API: what a target names, who may see a job, approval and rejection, the device
 * list and the CSV export. Running jobs (slots, offline devices, retry, cancel) are covered
 * in durable/tenant-hub.jobs.test.ts.
 */

let t: DirectTenant;
let clientB: string;
let siteA2: string;
let siteB: string;
let groupId: string;
const dev: Record<'a1' | 'a2' | 'b1' | 'b2', string> = { a1: '', a2: '', b1: '', b2: '' };
const host: Record<string, string> = {};

async function ok<T = any>(auth: Auth, method: string, path: string, body?: unknown): Promise<T> {
  const res = await api(auth, method, path, body);
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as T;
}

const preview = (auth: Auth, target: Record<string, unknown>) => api(auth, 'POST', '/jobs/preview', { target });
const names = (body: { sample: { id: string }[] }) => body.sample.map((s) => Object.entries(dev).find(([, id]) => id === s.id)?.[0] ?? s.id).sort();

beforeAll(async () => {
  t = await createTenantDirect('Jobs MSP');
  clientB = (await ok(t, 'POST', '/clients', { name: 'Bravo' })).id;
  siteA2 = (await ok(t, 'POST', '/sites', { clientId: t.clientId, name: 'Branch' })).id;
  siteB = (await ok(t, 'POST', '/sites', { clientId: clientB, name: 'Bravo HQ' })).id;
  dev.a1 = await insertDevice(t, { hostname: 'alpha-1', status: 'online' });
  dev.a2 = await insertDevice({ ...t, siteId: siteA2 }, { hostname: 'alpha-2', osPlatform: 'win32' });
  dev.b1 = await insertDevice({ ...t, clientId: clientB, siteId: siteB }, { hostname: 'bravo-1' });
  dev.b2 = await insertDevice({ ...t, clientId: clientB, siteId: siteB }, { hostname: 'bravo-2' });
  for (const [k, id] of Object.entries(dev)) host[id] = k;
  await ok(t, 'PATCH', `/devices/${dev.a1}`, { tags: ['web'] });
  await ok(t, 'PATCH', `/devices/${dev.b1}`, { tags: ['web', 'db'] });
  groupId = (await ok(t, 'POST', '/groups', { name: 'Servers' })).id;
  await ok(t, 'POST', `/groups/${groupId}/members`, { deviceIds: [dev.b2] });
});

describe('job targets', () => {
  it('resolves devices, groups, sites, clients, tags, the device-list filter and the whole tenant, as a union', async () => {
    const cases: [Record<string, unknown>, string[]][] = [
      [{ deviceIds: [dev.a1] }, ['a1']],
      [{ groupIds: [groupId] }, ['b2']],
      [{ tags: ['web'] }, ['a1', 'b1']],
      [{ siteIds: [siteA2] }, ['a2']],
      [{ clientIds: [clientB] }, ['b1', 'b2']],
      // Agents report Node's names (win32, darwin, linux); the filter speaks the library's.
      [{ filter: { platform: 'windows' } }, ['a2']],
      [{ filter: { platform: 'linux' } }, ['a1', 'b1', 'b2']],
      [{ filter: { clientId: clientB, tag: 'db' } }, ['b1']],
      [{ filter: { status: 'online' } }, ['a1']],
      [{ filter: { q: 'bravo' } }, ['b1', 'b2']],
      [{ deviceIds: [dev.a1], tags: ['web'], groupIds: [groupId] }, ['a1', 'b1', 'b2']],
      [{ all: true }, ['a1', 'a2', 'b1', 'b2']],
    ];
    for (const [target, expected] of cases) {
      const res = await preview(t, target);
      expect(res.status, JSON.stringify(target)).toBe(200);
      expect(names(res.body), JSON.stringify(target)).toEqual(expected);
      expect(res.body.count).toBe(expected.length);
    }
    const none = await preview(t, { filter: { platform: 'macos' } });
    expect(none.status).toBe(400);
    expect(none.body.error.message).toBe('the target names no devices');
    const all = (await preview(t, { all: true })).body;
    expect(all).toMatchObject({ count: 4, online: 1, needsApproval: true });
    expect((await preview(t, { deviceIds: [dev.a1, dev.b1] })).body.needsApproval).toBe(false);
  });

  it('answers 404 for named devices, groups, sites and clients of another tenant or out of the caller’s clients', async () => {
    const other = await createTenantDirect('Other MSP');
    const foreignDevice = await insertDevice(other);
    const foreignGroup = (await ok(other, 'POST', '/groups', { name: 'Theirs' })).id;
    for (const target of [{ deviceIds: [foreignDevice] }, { groupIds: [foreignGroup] }, { siteIds: [other.siteId] }, { clientIds: [other.clientId] }, { deviceIds: [dev.a1, 'dev_nope'] }]) {
      const res = await preview(t, target);
      expect(res.status, JSON.stringify(target)).toBe(404);
    }
    const tech = await addUser(t, 'technician', [t.clientId]);
    for (const target of [{ deviceIds: [dev.b1] }, { siteIds: [siteB] }, { clientIds: [clientB] }]) {
      expect((await preview(tech, target)).status, JSON.stringify(target)).toBe(404);
    }
    // Scoped: "everything" is everything they can see; a group of only hidden devices names nobody.
    expect(names((await preview(tech, { all: true })).body)).toEqual(['a1', 'a2']);
    const empty = await preview(tech, { groupIds: [groupId] });
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toBe('the target names no devices');
    expect((await api(tech, 'POST', '/jobs', { action: script(), target: { groupIds: [groupId] } })).status).toBe(400);
    expect((await preview(t, {})).status).toBe(400);
  });

  it('refuses read-only users and bad actions, and writes nothing', async () => {
    const ro = await addUser(t, 'readonly');
    expect((await api(ro, 'POST', '/jobs', { action: script(), target: { deviceIds: [dev.a1] } })).status).toBe(403);
    expect((await api(ro, 'GET', '/jobs')).status).toBe(403);
    const bad = await api(t, 'POST', '/jobs', { action: { type: 'run_script', params: { interpreter: 'cmd.exe', script: 'x' } }, target: { deviceIds: [dev.a1] } });
    expect(bad.status).toBe(400);
    const unknownScript = await api(t, 'POST', '/jobs', { action: { type: 'script', scriptId: 'scr_nope' }, target: { deviceIds: [dev.a1] } });
    expect(unknownScript.status).toBe(404);
    const n = await env.DB.prepare('SELECT count(*) AS n FROM jobs WHERE tenant_id = ?').bind(t.tenantId).first<{ n: number }>();
    expect(n!.n).toBe(0);
  });
});

describe('approval', () => {
  it('holds a job above the threshold for a second admin; the requester and technicians cannot approve; both names are audited', async () => {
    expect((await api(t, 'PATCH', '/settings/automation', { approvalThreshold: 2 })).status).toBe(200);
    const requester = await addUser(t, 'admin');
    const tech = await addUser(t, 'technician');
    const approver = await addUser(t, 'admin');
    const created = await api(requester, 'POST', '/jobs', { name: 'Patch all', action: script('apt-get upgrade -y'), target: { clientIds: [t.clientId, clientB] } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'awaiting_approval', requestedBy: requester.userId, approvedBy: null, counts: { total: 4, pending: 4 } });
    const id = created.body.id;

    const self = await api(requester, 'POST', `/jobs/${id}/approve`);
    expect(self.status).toBe(403);
    expect(self.body.error.code).toBe('self_approval');
    expect((await api(tech, 'POST', `/jobs/${id}/approve`)).status).toBe(403);
    expect((await jobOf(t, id)).status).toBe('awaiting_approval');

    const approved = await api(approver, 'POST', `/jobs/${id}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'running', approvedBy: approver.userId });
    expect(approved.body.approvedByName).toMatch(/^admin /);
    expect(approved.body.requestedByName).toMatch(/^admin /);
    expect((await api(approver, 'POST', `/jobs/${id}/approve`)).status).toBe(409);

    const audit = await env.DB.prepare("SELECT actor_id, detail FROM audit_log WHERE action = 'job.approve' AND target_id = ?").bind(id).all<{ actor_id: string; detail: string }>();
    expect(audit.results).toHaveLength(1);
    expect(audit.results[0]!.actor_id).toBe(approver.userId);
    expect(JSON.parse(audit.results[0]!.detail)).toMatchObject({ approvedBy: approver.userId, requestedBy: requester.userId });
    const create = await env.DB.prepare("SELECT actor_id, detail FROM audit_log WHERE action = 'job.create' AND target_id = ?").bind(id).first<{ actor_id: string; detail: string }>();
    expect(create!.actor_id).toBe(requester.userId);
    expect(JSON.parse(create!.detail)).toMatchObject({ name: 'Patch all', devices: 4, status: 'awaiting_approval' });

    // The whole tenant always waits, however small.
    expect((await api(t, 'PATCH', '/settings/automation', { approvalThreshold: 100 })).status).toBe(200);
    expect((await api(requester, 'POST', '/jobs', { action: script(), target: { all: true } })).body.status).toBe('awaiting_approval');
    expect((await api(requester, 'POST', '/jobs', { action: script(), target: { deviceIds: [dev.a2] } })).body.status).toBe('running');
  });

  it('rejects: nothing runs, the devices are skipped, and it cannot be approved after', async () => {
    const requester = await addUser(t, 'technician');
    const admin = await addUser(t, 'admin');
    const job = (await ok(requester, 'POST', '/jobs', { action: script(), target: { all: true } })) as { id: string };
    const other = await addUser(t, 'technician');
    expect((await api(other, 'POST', `/jobs/${job.id}/reject`, {})).status).toBe(403);
    const rejected = await api(admin, 'POST', `/jobs/${job.id}/reject`, { reason: 'not during business hours' });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', counts: { total: 4, skipped: 4, pending: 0 } });
    expect((await api(admin, 'POST', `/jobs/${job.id}/approve`)).status).toBe(409);
    const row = await env.DB.prepare("SELECT detail FROM audit_log WHERE action = 'job.reject' AND target_id = ?").bind(job.id).first<{ detail: string }>();
    expect(JSON.parse(row!.detail)).toMatchObject({ reason: 'not during business hours', requestedBy: requester.userId });
    const cmds = await env.DB.prepare('SELECT count(*) AS n FROM commands WHERE job_id = ?').bind(job.id).first<{ n: number }>();
    expect(cmds!.n).toBe(0);
  });
});

describe('job visibility and lists', () => {
  it('shows a client-limited user only jobs wholly within their clients; others answer 404', async () => {
    const spanning = (await ok(t, 'POST', '/jobs', { action: script(), target: { deviceIds: [dev.a1, dev.b1] } })) as { id: string };
    const mine = (await ok(t, 'POST', '/jobs', { action: script(), target: { deviceIds: [dev.a2] } })) as { id: string };
    const tech = await addUser(t, 'technician', [t.clientId]);
    expect((await api(tech, 'GET', `/jobs/${spanning.id}`)).status).toBe(404);
    expect((await api(tech, 'GET', `/jobs/${spanning.id}/devices`)).status).toBe(404);
    expect((await api(tech, 'GET', `/jobs/${spanning.id}/export.csv`)).status).toBe(404);
    expect((await api(tech, 'POST', `/jobs/${spanning.id}/cancel`)).status).toBe(404);
    expect((await api(tech, 'GET', `/jobs/${mine.id}`)).status).toBe(200);
    const listed = (await ok(tech, 'GET', '/jobs?limit=200')).items.map((j: { id: string }) => j.id);
    expect(listed).toContain(mine.id);
    expect(listed).not.toContain(spanning.id);
    const other = await createTenantDirect('Nosy MSP');
    expect((await api(other, 'GET', `/jobs/${mine.id}`)).status).toBe(404);
    expect((await api(other, 'POST', `/jobs/${mine.id}/cancel`)).status).toBe(404);
  });

  it('lists jobs newest first with search, status filter and cursor; lists a job’s devices by status', async () => {
    const a = (await ok(t, 'POST', '/jobs', { name: 'Zeta sweep', action: script(), target: { deviceIds: [dev.a1, dev.b2] } })) as { id: string };
    const b = (await ok(t, 'POST', '/jobs', { name: 'Zeta clean', action: script(), target: { deviceIds: [dev.b1] } })) as { id: string };
    const page1 = await ok(t, 'GET', '/jobs?q=zeta&limit=1');
    expect(page1.items.map((j: { id: string }) => j.id)).toEqual([b.id]);
    const page2 = await ok(t, 'GET', `/jobs?q=zeta&limit=1&cursor=${page1.nextCursor}`);
    expect(page2.items.map((j: { id: string }) => j.id)).toEqual([a.id]);
    expect(page2.nextCursor).toBeNull();
    await ok(t, 'POST', `/jobs/${b.id}/cancel`);
    expect((await ok(t, 'GET', '/jobs?q=zeta&status=cancelled')).items.map((j: { id: string }) => j.id)).toEqual([b.id]);

    const devices = await ok(t, 'GET', `/jobs/${a.id}/devices?limit=1`);
    expect(devices.items).toHaveLength(1);
    expect(devices.items[0]).toMatchObject({ deviceId: dev.a1, hostname: 'alpha-1', clientId: t.clientId, status: expect.any(String), attempt: 1 });
    const rest = await ok(t, 'GET', `/jobs/${a.id}/devices?limit=1&cursor=${devices.nextCursor}`);
    expect(rest.items.map((d: { hostname: string }) => d.hostname)).toEqual(['bravo-2']);
    expect((await ok(t, 'GET', `/jobs/${a.id}/devices?status=pending`)).items.map((d: { hostname: string }) => d.hostname)).toEqual(['bravo-2']);
    expect((await ok(t, 'GET', `/jobs/${a.id}/devices?q=alpha`)).items.map((d: { hostname: string }) => d.hostname)).toEqual(['alpha-1']);
  });
});

describe('CSV export', () => {
  it('has every device with its outcome and output, quoted, and spreadsheet formulas defused', async () => {
    const owner = t;
    const devices = await enrollDevices(owner, owner, 3, 'csv');
    const agents = await Promise.all(devices.slice(0, 2).map((d) => JobAgent.connect(d)));
    await waitOnline(devices.slice(0, 2).map((d) => d.deviceId));
    const job = (await ok(owner, 'POST', '/jobs', { action: script('report'), target: { deviceIds: devices.map((d) => d.deviceId) } })) as { id: string };
    const outputs = ['=HYPERLINK("http://evil")', 'a,b "c"\nline 2'];
    for (const [i, a] of agents.entries()) {
      await expect.poll(() => a.poll().length, { timeout: 5000 }).toBe(1);
      a.finish(a.received[0]!.id, i === 0 ? 'succeeded' : 'failed', i === 0 ? 0 : 2, outputs[i]);
    }
    await expect.poll(async () => (await jobOf(owner, job.id)).counts, { timeout: 5000 }).toMatchObject({ succeeded: 1, failed: 1, pending: 1 });
    const res = await api(owner, 'GET', `/jobs/${job.id}/export.csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toContain(`job-${job.id}.csv`);
    const text = res.body as string;
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('hostname,client,status,attempt,exit code,duration ms,started at,finished at,error,output');
    const row = (hostname: string) => lines.find((l) => l.startsWith(`${hostname},`))!;
    expect(row(devices[0]!.hostname)).toMatch(/,succeeded,1,0,42,\d{4}-.*Z,\d{4}-.*Z,,"'=HYPERLINK\(""http:\/\/evil""\)"$/);
    expect(text).toContain(`${devices[1]!.hostname},Internal,failed,1,2,42,`);
    expect(text).toContain('"a,b ""c""\nline 2"');
    expect(row(devices[2]!.hostname)).toBe(`${devices[2]!.hostname},Internal,pending,1,,,,,,`);
    for (const a of agents) a.close();
  });
});
