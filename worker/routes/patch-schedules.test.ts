import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { Cron } from 'croner';
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { jobs } from '../../db/automation-schema';
import { auditLog } from '../../db/schema';
import { devicePatches, patchComplianceDaily, patchScans, patchSchedules } from '../../db/deploy-schema';
import { patchKey } from '../../protocol/patches';
import { getDb } from '../lib/db';
import { tenantHub } from '../lib/hubs';
import { preparePatchInstall } from '../lib/patches/install-command';
import { utcDay } from '../lib/patches/compliance';
import { addUser, api, createTenantDirect, insertDevice, type DirectTenant } from '../../test/support';

/* Patch schedules: validation, run now, the TenantHub's alarm creating each run's job once; the install_patches spec. */

const db = () => getDb(env);
const DAY = 86_400_000;

let t: DirectTenant;
let deviceId: string;

async function seedMissing(name: string, classification: 'security' | 'bugfix', ageDays: number) {
  await db()
    .insert(devicePatches)
    .values({
      tenantId: t.tenantId,
      deviceId,
      key: patchKey('apt', name, '2.0'),
      source: 'apt',
      name,
      title: name,
      installedVersion: '1.0',
      availableVersion: '2.0',
      classification,
      severity: 'important',
      cves: [],
      advisory: null,
      rebootRequired: false,
      sizeBytes: null,
      releasedAt: null,
      firstSeenAt: Date.now() - ageDays * DAY,
    });
}

beforeAll(async () => {
  t = await createTenantDirect('Schedule MSP');
  deviceId = await insertDevice(t, { hostname: 'srv-01' });
  await db().insert(patchScans).values({ deviceId, tenantId: t.tenantId, scannedAt: Date.now(), sources: ['apt'], errors: [], rebootPending: false, missing: 3 });
  await seedMissing('openssl', 'security', 5); // approved by the default policy
  await seedMissing('curl', 'security', 1); // waits two more days
  await seedMissing('nano', 'bugfix', 9); // manual
});

const body = (over: Record<string, unknown> = {}) => ({ name: 'Wednesday night', target: { deviceIds: [deviceId] }, cron: '0 2 * * 3', timezone: 'Europe/Berlin', reboot: 'always', noticeMinutes: 5, maxDeferrals: 1, ...over });

describe('install_patches', () => {
  it('signs the keys approved for a visible device, limited to the keys asked for', async () => {
    const auth = { tenantId: t.tenantId, clientIds: null };
    const all = await preparePatchInstall(db(), auth, { type: 'install_patches', reboot: 'if_needed', noticeMinutes: 15, maxDeferrals: 2 });
    expect(all).toMatchObject({
      type: 'install_patches',
      params: { keys: ['apt:openssl@2.0'], reboot: 'if_needed', noticeMinutes: 15, maxDeferrals: 2, message: expect.stringContaining('IT provider') },
      label: 'install 1 approved update (reboot if needed)',
    });
    const none = await preparePatchInstall(db(), auth, { type: 'install_patches', reboot: 'never', noticeMinutes: 0, maxDeferrals: 0, keys: ['apt:nano@2.0', 'apt:curl@2.0'] });
    expect(none.params).toMatchObject({ keys: [] });
    // Another client's caller sees no device that misses it.
    const other = await preparePatchInstall(db(), { tenantId: t.tenantId, clientIds: ['cli_other'] }, { type: 'install_patches', reboot: 'never', noticeMinutes: 0, maxDeferrals: 0 });
    expect(other.params).toMatchObject({ keys: [] });
  });
});

describe('patch schedules', () => {
  it('validates cron, time zone and target; technicians may not write', async () => {
    const tech = await addUser(t, 'technician');
    expect((await api(tech, 'POST', '/patches/schedules', body())).status).toBe(403);
    expect((await api(t, 'POST', '/patches/schedules', body({ cron: 'every wednesday' }))).status).toBe(400);
    expect((await api(t, 'POST', '/patches/schedules', body({ cron: '0 0 2 * * 3' }))).status).toBe(400);
    expect((await api(t, 'POST', '/patches/schedules', body({ timezone: 'Mars/Olympus' }))).status).toBe(400);
    const other = await createTenantDirect('Other');
    expect((await api(other, 'POST', '/patches/schedules', body())).status).toBe(404);
    expect((await api(tech, 'GET', '/patches/schedules')).status).toBe(200);
  });

  it('computes the next run in its time zone, updates it, and runs now as a patch job', async () => {
    const before = Date.now();
    const res = await api(t, 'POST', '/patches/schedules', body());
    expect(res.status).toBe(201);
    const expected = new Cron('0 2 * * 3', { timezone: 'Europe/Berlin', paused: true }).nextRun(new Date(before))!.getTime();
    expect(res.body).toMatchObject({ name: 'Wednesday night', nextRunAt: expected, lastRunAt: null, createdBy: t.userId, reboot: 'always' });
    const id = res.body.id as string;
    const moved = await api(t, 'PATCH', `/patches/schedules/${id}`, { cron: '30 23 * * *', timezone: 'UTC' });
    expect(moved.status).toBe(200);
    expect(new Date(moved.body.nextRunAt).toISOString()).toMatch(/T23:30:00\.000Z$/);
    expect((await api(t, 'PATCH', `/patches/schedules/${id}`, { enabled: false })).body.nextRunAt).toBeNull();

    const run = await api(t, 'POST', `/patches/schedules/${id}/run`);
    expect(run.status).toBe(201);
    expect(run.body).toMatchObject({ kind: 'patch', counts: { total: 1 } });
    const job = await db().select().from(jobs).where(eq(jobs.id, run.body.id)).get();
    expect(job).toMatchObject({ kind: 'patch', patchScheduleId: id, windowOnly: false, requestedBy: t.userId });
    expect(job?.action).toMatchObject({ type: 'install_patches', reboot: 'always', noticeMinutes: 5, maxDeferrals: 1 });
    expect((await api(t, 'GET', `/patches/schedules/${id}`)).body).toMatchObject({ lastJobId: run.body.id, lastRunAt: expect.any(Number) });
    const audits = await db().select().from(auditLog).where(and(eq(auditLog.tenantId, t.tenantId), eq(auditLog.targetId, id))).all();
    expect(audits.map((a) => a.action).sort()).toEqual(['patch.schedule.create', 'patch.schedule.update', 'patch.schedule.update']);
    expect((await api(t, 'DELETE', `/patches/schedules/${id}`)).status).toBe(204);
    expect((await api(t, 'GET', `/patches/schedules/${id}`)).status).toBe(404);
  });

  it('the TenantHub’s alarm starts a due schedule’s job once, and moves it to its next run', async () => {
    const res = await api(t, 'POST', '/patches/schedules', body({ name: 'Nightly', cron: '0 3 * * *', timezone: 'UTC' }));
    const id = res.body.id as string;
    const due = Date.now() - 60_000;
    await db().update(patchSchedules).set({ nextRunAt: due }).where(eq(patchSchedules.id, id));
    const hub = tenantHub(env, t.tenantId);
    await hub.patchSchedulesChanged();
    expect(await runDurableObjectAlarm(hub)).toBe(true);
    const made = () => db().select().from(jobs).where(and(eq(jobs.tenantId, t.tenantId), eq(jobs.patchScheduleId, id))).all();
    expect(await made()).toHaveLength(1);
    const after = await db().select().from(patchSchedules).where(eq(patchSchedules.id, id)).get();
    expect(after?.nextRunAt).toBe(new Cron('0 3 * * *', { timezone: 'UTC', paused: true }).nextRun(new Date())!.getTime());
    expect(after?.lastJobId).toBe((await made())[0].id);

    // The same due run again (an alarm retried after a partial failure): no second job.
    await db().update(patchSchedules).set({ nextRunAt: due }).where(eq(patchSchedules.id, id));
    await hub.patchSchedulesChanged();
    expect(await runDurableObjectAlarm(hub)).toBe(true);
    expect(await made()).toHaveLength(1);
    expect((await db().select().from(patchSchedules).where(eq(patchSchedules.id, id)).get())?.nextRunAt).toBeGreaterThan(Date.now());
  });

  it('the daily compliance job writes today’s row for every client and the tenant', async () => {
    const hub = tenantHub(env, t.tenantId);
    await runInDurableObject(hub, (_o, state) => state.storage.sql.exec("UPDATE schedule SET due_at = 0 WHERE key = 'patch_compliance'"));
    await runDurableObjectAlarm(hub);
    const rows = await db().select().from(patchComplianceDaily).where(eq(patchComplianceDaily.tenantId, t.tenantId)).all();
    expect(rows.map((r) => [r.clientId, r.day, r.devices, r.scanned, r.fullyPatched, r.missingTotal]).sort()).toEqual(
      [
        ['', utcDay(Date.now()), 1, 1, 0, 3],
        [t.clientId, utcDay(Date.now()), 1, 1, 0, 3],
      ].sort(),
    );
    const next = await runInDurableObject(hub, (_o, state) => state.storage.sql.exec<{ due_at: number }>("SELECT due_at FROM schedule WHERE key = 'patch_compliance'").one().due_at);
    expect(next).toBeGreaterThan(Date.now());
  });
});
