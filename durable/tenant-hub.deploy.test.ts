import { env, SELF } from 'cloudflare:test';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { api, bootstrapTenant, ORIGIN, type BootstrappedTenant } from '../test/support';
import { createPackage, readyVersion } from '../worker/routes/package-fixture';
import { enrollDevices, fireHubTimer, hubHasTimer, JobAgent, jobOf, sleep, waitOnline, type JobDevice } from './testing/jobs';
import { connectViewer, TestSocket } from './testing/sockets';

/*
 * Deployment jobs in the TenantHub with simulated agents: canary rings and their gate, a
 * scheduled start, maintenance-window dispatch and per-device steps.
 */

let owner: BootstrappedTenant;
let versionId: string;
const open: { close(): void }[] = [];

beforeAll(async () => {
  owner = await bootstrapTenant();
  const pkg = await createPackage(owner, { name: `Deploy test ${Date.now()}` });
  versionId = (await readyVersion(owner, pkg.id, '1.0')).id;
});

afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

async function connectAll(devices: readonly JobDevice[]) {
  const agents = await Promise.all(devices.map((d) => JobAgent.connect(d)));
  open.push(...agents);
  await waitOnline(devices.map((d) => d.deviceId));
  return agents;
}

async function deploy(devices: readonly JobDevice[], extra: Record<string, unknown> = {}) {
  const res = await api(owner, 'POST', '/jobs', { action: { type: 'deploy', versionId }, target: { deviceIds: devices.map((d) => d.deviceId) }, ...extra });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; status: string; kind: string; ring: number };
}

async function targetRows(jobId: string) {
  const { results } = await env.DB.prepare('SELECT device_id, status, ring, step, progress FROM job_targets WHERE job_id = ?')
    .bind(jobId)
    .all<{ device_id: string; status: string; ring: number; step: string | null; progress: number | null }>();
  return new Map(results.map((r) => [r.device_id, r]));
}

const received = (agents: readonly JobAgent[]) => agents.filter((a) => a.poll().length > 0);

/* 10 devices, 2 of them the canary: the job, the canary agents and the rest. */
async function canaryJob(rings: Record<string, unknown>) {
  const devices = await enrollDevices(owner, owner, 10, 'ring');
  const agents = await connectAll(devices);
  const job = await deploy(devices, { rings });
  expect(job).toMatchObject({ status: 'running', kind: 'deployment', ring: 0 });
  const rows = await targetRows(job.id);
  const canaryIds = new Set([...rows.values()].filter((r) => r.ring === 0).map((r) => r.device_id));
  expect(canaryIds.size).toBe(2);
  const canary = agents.filter((a) => canaryIds.has(a.device.deviceId));
  const rest = agents.filter((a) => !canaryIds.has(a.device.deviceId));
  for (const a of canary) await expect.poll(() => a.poll().length, { timeout: 5000 }).toBe(1);
  await sleep(300);
  expect(received(rest)).toHaveLength(0);
  expect(canary[0]!.received[0]!.payload.type).toBe('install_package');
  return { job, canary, rest };
}

describe('canary rings', () => {
  it('runs the canary alone, then the rest once the gate sees 100 %', async () => {
    const { job, canary, rest } = await canaryJob({ count: 2, waitMinutes: 0, gatePercent: 100 });
    const rows = await targetRows(job.id);
    for (const a of canary) expect(rows.get(a.device.deviceId)).toMatchObject({ status: 'queued', step: 'pending' });
    for (const a of canary) a.finish(a.received[0]!.id, 'succeeded', 0, '', 'succeeded');
    for (const a of rest) await expect.poll(() => a.poll().length, { timeout: 5000 }).toBe(1);
    expect(await jobOf(owner, job.id)).toMatchObject({ status: 'running', ring: 1, gate: 'passed', canaryRate: 100 });
    for (const a of rest) a.finish(a.received[0]!.id, 'succeeded', 0);
    await expect.poll(() => jobOf(owner, job.id), { timeout: 5000 }).toMatchObject({ status: 'completed', counts: { succeeded: 10 } });
    for (const a of [...canary, ...rest]) expect(a.received).toHaveLength(1);
  });

  it('halts when the canary fails after its wait, leaves the rest untouched, and runs them on a promote', async () => {
    const { job, canary, rest } = await canaryJob({ count: 2, waitMinutes: 5, gatePercent: 100 });
    canary[0]!.finish(canary[0]!.received[0]!.id, 'succeeded', 0);
    canary[1]!.finish(canary[1]!.received[0]!.id, 'failed', 1);
    // The gate waits five minutes first: its timer is set and nothing else is sent.
    await expect.poll(async () => (await jobOf(owner, job.id)).gate, { timeout: 5000 }).toBe('waiting');
    expect(await hubHasTimer(owner.tenantId, `job_gate:${job.id}`)).toBe(true);
    await env.DB.prepare('UPDATE jobs SET gate_at = ? WHERE id = ?').bind(Date.now() - 1, job.id).run();
    await fireHubTimer(owner.tenantId, `job_gate:${job.id}`);
    expect(await jobOf(owner, job.id)).toMatchObject({ status: 'halted', gate: 'failed', canaryRate: 50, ring: 0, counts: { pending: 8, succeeded: 1, failed: 1 } });
    await sleep(300);
    expect(received(rest)).toHaveLength(0);

    const promoted = await api(owner, 'POST', `/jobs/${job.id}/promote`, { reason: 'the failure was a full disk' });
    expect(promoted.status, JSON.stringify(promoted.body)).toBe(200);
    expect(promoted.body).toMatchObject({ status: 'running', gate: 'promoted', ring: 1 });
    for (const a of rest) await expect.poll(() => a.poll().length, { timeout: 5000 }).toBe(1);
    for (const a of rest) a.finish(a.received[0]!.id, 'succeeded', 0);
    await expect.poll(() => jobOf(owner, job.id), { timeout: 5000 }).toMatchObject({ status: 'completed', counts: { succeeded: 9, failed: 1 } });
  });
});

describe('when a deployment sends', () => {
  it('sends nothing before its start time, and everything once the start alarm runs', async () => {
    const devices = await enrollDevices(owner, owner, 2, 'sched');
    const agents = await connectAll(devices);
    const job = await deploy(devices, { schedule: { startAt: Date.now() + 3600_000 } });
    expect(job.status).toBe('scheduled');
    await expect.poll(() => hubHasTimer(owner.tenantId, `job_start:${job.id}`), { timeout: 5000 }).toBe(true);
    await sleep(300);
    expect(received(agents)).toHaveLength(0);
    // An alarm that comes early starts nothing.
    await fireHubTimer(owner.tenantId, `job_start:${job.id}`);
    expect((await jobOf(owner, job.id)).status).toBe('scheduled');
    await env.DB.prepare('UPDATE jobs SET start_at = ? WHERE id = ?').bind(Date.now() - 1, job.id).run();
    await fireHubTimer(owner.tenantId, `job_start:${job.id}`);
    expect((await jobOf(owner, job.id)).status).toBe('running');
    for (const a of agents) await expect.poll(() => a.poll().length, { timeout: 5000 }).toBe(1);
  });

  it('sends once a retried start alarm finds the job already started in D1 by the attempt that failed', async () => {
    const devices = await enrollDevices(owner, owner, 2, 'restart');
    const agents = await connectAll(devices);
    const job = await deploy(devices, { schedule: { startAt: Date.now() + 3600_000 } });
    await expect.poll(() => hubHasTimer(owner.tenantId, `job_start:${job.id}`), { timeout: 5000 }).toBe(true);
    // The first attempt's D1 write landed; the hub never took the job on.
    await env.DB.prepare(`UPDATE jobs SET status = 'running', start_at = ? WHERE id = ?`).bind(Date.now() - 1, job.id).run();
    await fireHubTimer(owner.tenantId, `job_start:${job.id}`);
    for (const a of agents) await expect.poll(() => a.poll().length, { timeout: 5000 }).toBe(1);
  });

  it('in window-only mode, sends to a device inside an open window and to another once its window opens', async () => {
    const [inside, outside] = await enrollDevices(owner, owner, 2, 'window');
    const agents = await connectAll([inside!, outside!]);
    const now = Date.now();
    const window = async (deviceId: string, startsAt: number) => {
      const res = await api(owner, 'POST', '/maintenance-windows', { name: `w ${deviceId}`, scopeType: 'device', scopeId: deviceId, schedule: { kind: 'once', startsAt, endsAt: startsAt + 3600_000 } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.id as string;
    };
    await window(inside!.deviceId, now - 60_000);
    const later = await window(outside!.deviceId, now + 6 * 3600_000);
    const job = await deploy([inside!, outside!], { schedule: { windowOnly: true } });
    await expect.poll(() => agents[0]!.poll().length, { timeout: 5000 }).toBe(1);
    await sleep(300);
    expect(agents[1]!.poll()).toHaveLength(0);
    // Its window moves to now: the sweep sends it.
    const moved = await api(owner, 'PATCH', `/maintenance-windows/${later}`, { schedule: { kind: 'once', startsAt: Date.now() - 1000, endsAt: Date.now() + 3600_000 } });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    await fireHubTimer(owner.tenantId, 'job_sweep');
    await expect.poll(() => agents[1]!.poll().length, { timeout: 5000 }).toBe(1);
    expect((await jobOf(owner, job.id)).windowOnly).toBe(true);
  });
});

describe('deployment steps', () => {
  it('writes step frames to the targets and pushes job_steps; the done frame’s step is final', async () => {
    const [device] = await enrollDevices(owner, owner, 1, 'steps');
    const [agent] = await connectAll([device!]);
    const res = await SELF.fetch(`${ORIGIN}/api/v1/live`, { headers: { ...owner.headers, Upgrade: 'websocket' } });
    const dash = new TestSocket(res.webSocket!);
    open.push(dash);
    await dash.next('hello');
    const viewer = await connectViewer({ deviceId: device!.deviceId, tenantId: owner.tenantId });
    open.push(viewer);
    await viewer.next('status');
    const job = await deploy([device!]);
    await expect.poll(() => agent!.poll().length, { timeout: 5000 }).toBe(1);
    const id = agent!.received[0]!.id;
    agent!.step(id, 'downloading', 40);
    // The device page sees it too.
    expect(await viewer.next('cmd_step')).toEqual({ t: 'cmd_step', commandId: id, step: 'downloading', progress: 40, detail: null });
    const frame = await dash.next((f) => f.t === 'job_steps' && f.jobId === job.id, 5000);
    expect(frame.steps).toEqual([{ deviceId: device!.deviceId, step: 'downloading', progress: 40 }]);
    await expect.poll(async () => (await targetRows(job.id)).get(device!.deviceId), { timeout: 5000 }).toMatchObject({ step: 'downloading', progress: 40 });
    agent!.step(id, 'installing', null);
    await expect.poll(async () => (await targetRows(job.id)).get(device!.deviceId)?.step, { timeout: 5000 }).toBe('installing');
    agent!.finish(id, 'failed', 1, '', 'rolled_back');
    await expect.poll(async () => (await targetRows(job.id)).get(device!.deviceId), { timeout: 5000 }).toMatchObject({ status: 'failed', step: 'rolled_back' });
    // A step after the result changes nothing.
    agent!.step(id, 'downloading', 10);
    await sleep(500);
    expect((await targetRows(job.id)).get(device!.deviceId)?.step).toBe('rolled_back');
    const devices = await api(owner, 'GET', `/jobs/${job.id}/devices`);
    expect(devices.body.items[0]).toMatchObject({ step: 'rolled_back', ring: 1 });
  });
});
