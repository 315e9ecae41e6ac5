import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { addUser, api, createTenantDirect, insertDevice, type DirectTenant } from '../../test/support';
import { createPackage, ok, readyVersion } from './package-fixture';

/*
 * The jobs API for deployments: schedules and rings at creation, promoting a halted job,
 * rolling a deployment back, and the kind filter. Running them is covered in
 * durable/tenant-hub.deploy.test.ts.
 */

let t: DirectTenant;
let versionId: string;
const dev: string[] = [];

beforeAll(async () => {
  t = await createTenantDirect('Deploy MSP');
  const pkg = await createPackage(t, { name: 'Agentless tool' });
  versionId = (await readyVersion(t, pkg.id, '2.0')).id;
  dev.push(await insertDevice(t, { hostname: 'd-online', status: 'online' }));
  for (let i = 1; i < 4; i++) dev.push(await insertDevice(t, { hostname: `d-${i}` }));
});

const create = (body: Record<string, unknown>) => api(t, 'POST', '/jobs', { action: { type: 'process_list' }, target: { deviceIds: dev }, ...body });

async function targetRings(jobId: string) {
  const { results } = await env.DB.prepare('SELECT device_id, ring FROM job_targets WHERE job_id = ?').bind(jobId).all<{ device_id: string; ring: number }>();
  return new Map(results.map((r) => [r.device_id, r.ring]));
}

describe('creating a job with a schedule and rings', () => {
  it('refuses a start in the past or more than 30 days ahead, and a canary given twice or not at all', async () => {
    for (const startAt of [Date.now() - 1000, Date.now() + 31 * 86_400_000]) {
      const res = await create({ schedule: { startAt } });
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).toContain('schedule.startAt');
    }
    expect((await create({ rings: { count: 1, percent: 10 } })).status).toBe(400);
    expect((await create({ rings: { waitMinutes: 5 } })).status).toBe(400);
    expect((await create({ rings: { count: 0 } })).status).toBe(400);
  });

  it('schedules a job whose start is ahead, its deadline counted from the start', async () => {
    const startAt = Date.now() + 3600_000;
    const res = await create({ schedule: { startAt, windowOnly: true }, ttlSeconds: 600 });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ status: 'scheduled', startAt, windowOnly: true, expiresAt: startAt + 600_000, kind: 'command', ring: 1, rings: null });
  });

  it('a scheduled job above the approval threshold waits for approval, then for its start', async () => {
    await ok(t, 'PATCH', '/settings/automation', { approvalThreshold: 2 });
    try {
      const res = await create({ schedule: { startAt: Date.now() + 3600_000 } });
      expect(res.body.status).toBe('awaiting_approval');
      const admin = await addUser(t, 'admin');
      const approved = await api(admin, 'POST', `/jobs/${res.body.id}/approve`);
      expect(approved.status).toBe(200);
      expect(approved.body).toMatchObject({ status: 'scheduled', approvedBy: admin.userId });
    } finally {
      await ok(t, 'PATCH', '/settings/automation', { approvalThreshold: 25 });
    }
  });

  it('puts the canary in ring 0, online devices first, sized by count or percent but never the whole target', async () => {
    const one = await create({ rings: { count: 1 } });
    expect(one.body).toMatchObject({ status: 'running', ring: 0, gate: null, rings: { count: 1, waitMinutes: 30, gatePercent: 100 } });
    const rings = await targetRings(one.body.id);
    expect(rings.get(dev[0]!)).toBe(0);
    expect([...rings.values()].filter((r) => r === 0)).toHaveLength(1);
    // 30 % of 4 is 1.2: two devices.
    const pct = await create({ rings: { percent: 30 } });
    expect([...(await targetRings(pct.body.id)).values()].filter((r) => r === 0)).toHaveLength(2);
    const all = await create({ rings: { count: 50 } });
    expect([...(await targetRings(all.body.id)).values()].filter((r) => r === 0)).toHaveLength(3);
    // One device: no canary at all.
    const single = await api(t, 'POST', '/jobs', { action: { type: 'process_list' }, target: { deviceIds: [dev[1]] }, rings: { count: 1 } });
    expect(single.body).toMatchObject({ ring: 1, rings: null });
  });

  it('marks deployments and filters the list by kind', async () => {
    const deployment = await api(t, 'POST', '/jobs', { action: { type: 'deploy', versionId }, target: { deviceIds: [dev[1]] } });
    expect(deployment.status, JSON.stringify(deployment.body)).toBe(201);
    expect(deployment.body).toMatchObject({ kind: 'deployment', action: { type: 'deploy', versionId, action: 'install' } });
    const row = await env.DB.prepare('SELECT package_version_id FROM jobs WHERE id = ?').bind(deployment.body.id).first<{ package_version_id: string }>();
    expect(row!.package_version_id).toBe(versionId);
    const list = await ok(t, 'GET', '/jobs?kind=deployment&limit=200');
    expect(list.items.map((j: { id: string }) => j.id)).toContain(deployment.body.id);
    expect(list.items.every((j: { kind: string }) => j.kind === 'deployment')).toBe(true);
    const commands = await ok(t, 'GET', '/jobs?kind=command&limit=200');
    expect(commands.items.map((j: { id: string }) => j.id)).not.toContain(deployment.body.id);
    expect((await api(t, 'GET', '/jobs?kind=other')).status).toBe(400);
  });
});

describe('promote', () => {
  it('is for admins, only on a halted job, and audited with the reason', async () => {
    const job = (await create({ rings: { count: 1 } })).body as { id: string };
    const tech = await addUser(t, 'technician');
    expect((await api(tech, 'POST', `/jobs/${job.id}/promote`, { reason: 'trust me' })).status).toBe(403);
    expect((await api(t, 'POST', `/jobs/${job.id}/promote`, { reason: 'not halted' })).status).toBe(409);
    expect((await api(t, 'POST', `/jobs/${job.id}/promote`, { reason: '' })).status).toBe(400);
    await env.DB.prepare("UPDATE jobs SET status = 'halted', gate = 'failed', canary_rate = 0 WHERE id = ?").bind(job.id).run();
    const res = await api(t, 'POST', `/jobs/${job.id}/promote`, { reason: 'the canary had a full disk' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ status: 'running', gate: 'promoted', ring: 1 });
    const audit = await env.DB.prepare("SELECT detail FROM audit_log WHERE action = 'job.promote' AND target_id = ?").bind(job.id).all<{ detail: string }>();
    expect(audit.results).toHaveLength(1);
    expect(JSON.parse(audit.results[0]!.detail)).toMatchObject({ reason: 'the canary had a full disk' });
    expect((await api(t, 'POST', `/jobs/${job.id}/promote`, { reason: 'again' })).status).toBe(409);
  });
});

describe('rollback', () => {
  it('creates a rollback deployment aimed at the devices where the install succeeded', async () => {
    const job = (await api(t, 'POST', '/jobs', { action: { type: 'deploy', versionId }, target: { deviceIds: dev.slice(1) } })).body as { id: string };
    await env.DB.prepare("UPDATE job_targets SET status = CASE device_id WHEN ?2 THEN 'succeeded' WHEN ?3 THEN 'succeeded' ELSE 'failed' END WHERE job_id = ?1")
      .bind(job.id, dev[1], dev[2])
      .run();
    const res = await api(t, 'POST', `/jobs/${job.id}/rollback`, {});
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ kind: 'deployment', action: { type: 'deploy', versionId, action: 'rollback' }, counts: { total: 2 }, rings: null });
    expect([...(await targetRings(res.body.id)).keys()].sort()).toEqual([dev[1], dev[2]].sort());
    // Narrowed to some of them; a device where it did not succeed names nothing.
    const one = await api(t, 'POST', `/jobs/${job.id}/rollback`, { deviceIds: [dev[2], dev[3]] });
    expect([...(await targetRings(one.body.id)).keys()]).toEqual([dev[2]]);
    expect((await api(t, 'POST', `/jobs/${job.id}/rollback`, { deviceIds: [dev[3]] })).status).toBe(409);
    // Only an install can be rolled back.
    expect((await api(t, 'POST', `/jobs/${res.body.id}/rollback`, {})).status).toBe(409);
    const command = (await create({})).body as { id: string };
    expect((await api(t, 'POST', `/jobs/${command.id}/rollback`, {})).status).toBe(409);
  });

  it('cancels a scheduled job', async () => {
    const job = (await create({ schedule: { startAt: Date.now() + 3600_000 } })).body as { id: string };
    const res = await api(t, 'POST', `/jobs/${job.id}/cancel`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'cancelled' });
  });
});
