import { env } from 'cloudflare:test';
import { and, eq } from 'drizzle-orm';
import * as v from 'valibot';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../db/schema';
import { devicePatches, patchComplianceDaily, patchScans } from '../../db/deploy-schema';
import { ComplianceReport, DevicePatches, FleetPatchPage } from '../../protocol/api/patches';
import { patchKey, type PatchClassification, type PatchSeverity } from '../../protocol/patches';
import { getDb } from '../lib/db';
import { utcDay } from '../lib/patches/compliance';
import { addUser, api, createTenantDirect, insertDevice, type DirectTenant, type UserFixture } from '../../test/support';

/*
 * Patches through the API on a hand-made fleet: two clients, devices with scans written
 * straight to D1 (as the DeviceHub writes them), decisions and policies set through the API.
 */

const db = () => getDb(env);
const DAY = 86_400_000;
const NOW = Date.now();

async function seedScan(t: { tenantId: string }, deviceId: string, items: { name: string; classification?: PatchClassification; severity?: PatchSeverity; ageDays?: number }[]) {
  await db().insert(patchScans).values({ deviceId, tenantId: t.tenantId, scannedAt: NOW, sources: ['apt'], errors: [], rebootPending: false, missing: items.length });
  if (!items.length) return;
  await db()
    .insert(devicePatches)
    .values(
      items.map((i) => ({
        tenantId: t.tenantId,
        deviceId,
        key: patchKey('apt', i.name, '2.0'),
        source: 'apt',
        name: i.name,
        title: `${i.name} 2.0`,
        installedVersion: '1.0',
        availableVersion: '2.0',
        classification: i.classification ?? 'bugfix',
        severity: i.severity ?? 'moderate',
        cves: [],
        advisory: null,
        rebootRequired: false,
        sizeBytes: null,
        releasedAt: null,
        firstSeenAt: NOW - (i.ageDays ?? 0) * DAY,
      })),
    );
}

const key = (name: string) => patchKey('apt', name, '2.0');

let t: DirectTenant;
let c2: { clientId: string; siteId: string };
let tech: UserFixture;
let limited: UserFixture;
const dev: Record<string, string> = {};

beforeAll(async () => {
  t = await createTenantDirect('Patch MSP');
  const client = await api(t, 'POST', '/clients', { name: 'Beta Ltd' });
  const site = await api(t, 'POST', '/sites', { clientId: client.body.id, name: 'Beta HQ' });
  c2 = { clientId: client.body.id, siteId: site.body.id };
  tech = await addUser(t, 'technician');
  limited = await addUser(t, 'admin', [c2.clientId]);
  // Client 1: a1 fully patched after decisions, a2 missing a critical, a3 never scanned.
  dev.a1 = await insertDevice(t, { hostname: 'a1' });
  dev.a2 = await insertDevice(t, { hostname: 'a2' });
  dev.a3 = await insertDevice(t, { hostname: 'a3' });
  dev.b1 = await insertDevice({ tenantId: t.tenantId, ...c2 }, { hostname: 'b1' });
  await seedScan(t, dev.a1, [{ name: 'openssl', classification: 'security', severity: 'important', ageDays: 5 }, { name: 'nano', ageDays: 1 }]);
  await seedScan(t, dev.a2, [
    { name: 'openssl', classification: 'security', severity: 'important', ageDays: 5 },
    { name: 'kernel', classification: 'security', severity: 'critical', ageDays: 1 },
    { name: 'games', classification: 'feature_pack', severity: 'low' },
  ]);
  await seedScan(t, dev.b1, [{ name: 'openssl', classification: 'security', severity: 'important', ageDays: 5 }, { name: 'nano', ageDays: 1 }]);
});

const fleet = async (who: { headers: Record<string, string> } = t, query = '') => {
  const res = await api(who, 'GET', `/patches${query}`);
  expect(res.status).toBe(200);
  return v.parse(FleetPatchPage, res.body);
};

describe('patches', () => {
  it('lists one row per update with device counts over visible devices, most severe first; approval by the default policy', async () => {
    const page = await fleet();
    expect(page.items.map((p) => [p.name, p.devices, p.severity, p.approval, p.approvalSource])).toEqual([
      ['kernel', 1, 'critical', 'pending', 'policy'], // security, but seen 1 day of the 3 auto-approval waits
      ['openssl', 3, 'important', 'approved', 'policy'], // security seen 5 days: auto-approved
      ['nano', 2, 'moderate', 'pending', 'policy'], // bugfix: manual
      ['games', 1, 'low', 'pending', 'policy'],
    ]);
    // Pages follow the same order.
    const first = await fleet(t, '?limit=2');
    const second = await fleet(t, `?limit=2&cursor=${first.nextCursor}`);
    expect([...first.items, ...second.items].map((p) => p.name)).toEqual(['kernel', 'openssl', 'nano', 'games']);
    expect(second.nextCursor).toBeNull();
    // A client-limited caller counts only their client's devices.
    expect((await fleet(limited)).items.map((p) => [p.name, p.devices])).toEqual([
      ['openssl', 1],
      ['nano', 1],
    ]);
    expect((await fleet(t, '?severity=critical')).items.map((p) => p.name)).toEqual(['kernel']);
    expect((await fleet(t, '?q=ope')).items.map((p) => p.name)).toEqual(['openssl']);
    expect((await fleet(t, '?approval=approved')).items.map((p) => p.name)).toEqual(['openssl']);
    expect((await fleet(t, `?clientId=${c2.clientId}`)).items.map((p) => p.devices)).toEqual([1, 1]);
  });

  it('lists the visible devices missing one update, by hostname', async () => {
    const res = await api(t, 'GET', `/patches/${encodeURIComponent(key('openssl'))}/devices`);
    expect(res.status).toBe(200);
    expect(res.body.items.map((d: { hostname: string; approval: string }) => [d.hostname, d.approval])).toEqual([
      ['a1', 'approved'],
      ['a2', 'approved'],
      ['b1', 'approved'],
    ]);
    const mine = await api(limited, 'GET', `/patches/${encodeURIComponent(key('openssl'))}/devices`);
    expect(mine.body.items.map((d: { hostname: string }) => d.hostname)).toEqual(['b1']);
    const slash = await api(t, 'GET', `/patches/${encodeURIComponent('softwareupdate:macOS 14/15')}/devices`);
    expect(slash.status).toBe(200);
    expect(slash.body.items).toEqual([]);
    expect((await api(t, 'GET', '/patches/nonsense/devices')).status).toBe(400);
  });

  it('a device’s patches carry their effective approval; a foreign or hidden device is 404', async () => {
    const res = await api(t, 'GET', `/devices/${dev.a2}/patches`);
    expect(res.status).toBe(200);
    const view = v.parse(DevicePatches, res.body);
    expect(view.scannedAt).toBe(NOW);
    expect(view.items.map((i) => [i.name, i.approval])).toEqual([
      ['kernel', 'pending'],
      ['openssl', 'approved'],
      ['games', 'pending'],
    ]);
    expect((await api(limited, 'GET', `/devices/${dev.a2}/patches`)).status).toBe(404);
    const other = await createTenantDirect('Other MSP');
    expect((await api(other, 'GET', `/devices/${dev.a2}/patches`)).status).toBe(404);
    const unscanned = v.parse(DevicePatches, (await api(t, 'GET', `/devices/${dev.a3}/patches`)).body);
    expect(unscanned).toEqual({ scannedAt: null, errors: [], rebootPending: false, items: [] });
  });

  it('decisions beat the policy, are audited, and `pending` withdraws them; technicians may not decide', async () => {
    expect((await api(tech, 'POST', '/patches/approvals', { keys: [key('nano')], decision: 'approved' })).status).toBe(403);
    expect((await api(t, 'POST', '/patches/approvals', { keys: [key('nano'), key('games')], decision: 'approved', note: 'tested' })).status).toBe(204);
    expect((await api(t, 'POST', '/patches/approvals', { keys: [key('openssl')], decision: 'declined' })).status).toBe(204);
    const page = await fleet();
    const by = new Map(page.items.map((p) => [p.name, p]));
    expect(by.get('nano')).toMatchObject({ approval: 'approved', approvalSource: 'decision', decidedBy: t.userId });
    expect(by.get('openssl')).toMatchObject({ approval: 'declined', approvalSource: 'decision' });
    const audits = await db().select().from(auditLog).where(and(eq(auditLog.tenantId, t.tenantId), eq(auditLog.targetType, 'patch'))).all();
    expect(audits.map((a) => a.action).sort()).toEqual(['patch.approval.approve', 'patch.approval.decline']);
    expect(audits.find((a) => a.action === 'patch.approval.approve')?.detail).toMatchObject({ count: 2, note: 'tested' });

    expect((await api(t, 'POST', '/patches/approvals', { keys: [key('openssl'), key('games')], decision: 'pending' })).status).toBe(204);
    const back = new Map((await fleet()).items.map((p) => [p.name, p]));
    expect(back.get('openssl')).toMatchObject({ approval: 'approved', approvalSource: 'policy', decidedBy: null });
    expect(back.get('games')).toMatchObject({ approval: 'pending', approvalSource: 'policy' });
    expect((await api(t, 'POST', '/patches/approvals', { keys: ['not-a-key'], decision: 'approved' })).status).toBe(400);
  });

  it('policies: the tenant’s, a client override (decline, auto after N days), audited; foreign clients 404', async () => {
    const list = await api(t, 'GET', '/patches/policies');
    expect(list.body).toEqual([{ clientId: null, clientName: null, policy: expect.objectContaining({ otherwise: { action: 'manual', afterDays: 0 } }), updatedAt: null }]);
    expect((await api(tech, 'PUT', '/patches/policies/tenant', { policy: { rules: {}, otherwise: { action: 'auto' } } })).status).toBe(403);
    expect((await api(limited, 'PUT', '/patches/policies/tenant', { policy: { rules: {}, otherwise: { action: 'auto' } } })).status).toBe(403);
    // Tenant: security waits 10 days (openssl, seen 5 days ago, goes back to pending on a1/a2).
    const put = await api(t, 'PUT', '/patches/policies/tenant', { policy: { rules: { security: { action: 'auto', afterDays: 10 } }, otherwise: { action: 'manual' } } });
    expect(put.status).toBe(200);
    // Client 2: security after 2 days, everything else declined.
    const own = await api(limited, 'PUT', `/patches/policies/${c2.clientId}`, { policy: { rules: { security: { action: 'auto', afterDays: 2 } }, otherwise: { action: 'decline' } } });
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ clientId: c2.clientId, clientName: 'Beta Ltd' });
    expect((await api(limited, 'PUT', `/patches/policies/${t.clientId}`, { policy: { rules: {}, otherwise: { action: 'auto' } } })).status).toBe(404);
    const other = await createTenantDirect('Other MSP 2');
    expect((await api(other, 'PUT', `/patches/policies/${c2.clientId}`, { policy: { rules: {}, otherwise: { action: 'auto' } } })).status).toBe(404);

    const a1 = v.parse(DevicePatches, (await api(t, 'GET', `/devices/${dev.a1}/patches`)).body);
    expect(a1.items.map((i) => [i.name, i.approval])).toEqual([
      ['openssl', 'pending'],
      ['nano', 'approved'], // the decision from the test before still stands
    ]);
    const b1 = v.parse(DevicePatches, (await api(t, 'GET', `/devices/${dev.b1}/patches`)).body);
    expect(b1.items.map((i) => [i.name, i.approval, i.approvalSource])).toEqual([
      ['openssl', 'approved', 'policy'],
      ['nano', 'approved', 'decision'],
    ]);
    await api(t, 'POST', '/patches/approvals', { keys: [key('nano')], decision: 'pending' });
    const b1After = v.parse(DevicePatches, (await api(t, 'GET', `/devices/${dev.b1}/patches`)).body);
    expect(b1After.items.find((i) => i.name === 'nano')).toMatchObject({ approval: 'declined', approvalSource: 'policy' });
    // Fleet-wide, openssl is approved somewhere (client 2), so it is listed approved.
    expect((await fleet()).items.find((p) => p.name === 'openssl')?.approval).toBe('approved');

    const views = (await api(t, 'GET', '/patches/policies')).body as { clientId: string | null }[];
    expect(views.map((p) => p.clientId)).toEqual([null, c2.clientId]);
    expect((await api(limited, 'GET', '/patches/policies')).body.map((p: { clientId: string | null }) => p.clientId)).toEqual([null, c2.clientId]);
    const audits = await db().select().from(auditLog).where(and(eq(auditLog.tenantId, t.tenantId), eq(auditLog.action, 'patch.policy.update'))).all();
    expect(audits).toHaveLength(2);

    // Back to the defaults for the tests after.
    expect((await api(t, 'DELETE', `/patches/policies/${c2.clientId}`)).status).toBe(204);
    await api(t, 'PUT', '/patches/policies/tenant', { policy: { rules: { security: { action: 'auto', afterDays: 3 }, critical: { action: 'auto', afterDays: 3 } }, otherwise: { action: 'manual' } } });
  });

  it('compliance per client from scans, approvals and severities, with the trend from daily rows and today live', async () => {
    const yesterday = utcDay(NOW - DAY);
    await db()
      .insert(patchComplianceDaily)
      .values([
        { tenantId: t.tenantId, clientId: t.clientId, day: yesterday, devices: 3, scanned: 2, fullyPatched: 0, missingCritical: 1, missingTotal: 5 },
        { tenantId: t.tenantId, clientId: '', day: yesterday, devices: 4, scanned: 3, fullyPatched: 0, missingCritical: 1, missingTotal: 7 },
        { tenantId: t.tenantId, clientId: t.clientId, day: utcDay(NOW - 40 * DAY), devices: 1, scanned: 1, fullyPatched: 1, missingCritical: 0, missingTotal: 0 },
      ]);
    // a1: openssl approved (policy), nano pending → not fully patched until nano is declined.
    await api(t, 'POST', '/patches/approvals', { keys: [key('nano')], decision: 'declined' });
    await api(t, 'POST', '/patches/approvals', { keys: [key('openssl')], decision: 'declined' });
    const res = await api(t, 'GET', '/patches/compliance?days=30');
    expect(res.status).toBe(200);
    const report = v.parse(ComplianceReport, res.body);
    const c1 = report.clients.find((c) => c.clientId === t.clientId)!;
    // a1: everything declined → fully patched. a2: kernel (critical, pending) and games (pending) open. a3: not scanned.
    expect(c1).toMatchObject({ devices: 3, scanned: 2, fullyPatched: 1, percent: 50, missingCritical: 1, missingTotal: 2 });
    const beta = report.clients.find((c) => c.clientId === c2.clientId)!;
    expect(beta).toMatchObject({ clientName: 'Beta Ltd', devices: 1, scanned: 1, fullyPatched: 1, percent: 100, missingCritical: 0, missingTotal: 0 });
    expect(report.total).toMatchObject({ devices: 4, scanned: 3, fullyPatched: 2, missingCritical: 1, missingTotal: 2 });
    const order = (a: { day: string; clientId: string | null }, b: { day: string; clientId: string | null }) =>
      a.day.localeCompare(b.day) || (a.clientId === null ? 1 : b.clientId === null ? -1 : a.clientId.localeCompare(b.clientId));
    // Oldest first; within a day the clients, then the whole fleet.
    expect(report.trend.map((p) => `${p.day}:${p.clientId === null ? 'fleet' : 'client'}`)).toEqual([
      `${yesterday}:client`,
      `${yesterday}:fleet`,
      `${utcDay(NOW)}:client`,
      `${utcDay(NOW)}:client`,
      `${utcDay(NOW)}:fleet`,
    ]);
    expect([...report.trend].sort(order)).toEqual([
      { day: yesterday, clientId: t.clientId, scanned: 2, fullyPatched: 0, missingCritical: 1 },
      { day: yesterday, clientId: null, scanned: 3, fullyPatched: 0, missingCritical: 1 },
      { day: utcDay(NOW), clientId: t.clientId, scanned: 2, fullyPatched: 1, missingCritical: 1 },
      { day: utcDay(NOW), clientId: c2.clientId, scanned: 1, fullyPatched: 1, missingCritical: 0 },
      { day: utcDay(NOW), clientId: null, scanned: 3, fullyPatched: 2, missingCritical: 1 },
    ].sort(order));
    // A client-limited caller sees their client only, and a fleet line made of it.
    const mine = v.parse(ComplianceReport, (await api(limited, 'GET', '/patches/compliance')).body);
    expect(mine.clients.map((c) => c.clientId)).toEqual([c2.clientId]);
    // Yesterday's rows are client 1's and the tenant's: none of them is theirs.
    expect(mine.trend).toEqual([
      { day: utcDay(NOW), clientId: c2.clientId, scanned: 1, fullyPatched: 1, missingCritical: 0 },
      { day: utcDay(NOW), clientId: null, scanned: 1, fullyPatched: 1, missingCritical: 0 },
    ]);

    const csv = await api(t, 'GET', '/patches/compliance.csv');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(String(csv.body).split('\r\n')[0]).toBe('client,devices,scanned,fully patched,percent,missing critical,missing total');
    await api(t, 'POST', '/patches/approvals', { keys: [key('nano'), key('openssl')], decision: 'pending' });
  });

  it('the compliance CSV is formula-safe', async () => {
    const evil = await api(t, 'POST', '/clients', { name: '=HYPERLINK("http://x")' });
    const csv = await api(t, 'GET', `/patches/compliance.csv?clientId=${evil.body.id}`);
    expect(String(csv.body).split('\r\n')[1]).toBe(`"'=HYPERLINK(""http://x"")",0,0,0,,0,0`);
  });
});
