import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import * as schema from '../db/schema';
import { deviceSoftware, deviceWarranties, licences } from '../db/inventory-schema';
import { versionKey } from '../protocol/inventory';
import type { LicenceMatch } from '../protocol/api/licences';
import { addDays, todayUtc } from '../worker/lib/warranty/coverage';
import { db, seedDevice, seedTenant, uid, type Fleet } from './testing/fixtures';
import { tenantHub } from './testing/sockets';
import { alertEvents, alertRows, notificationsFor, seedPolicy, seedUser, seedWindow } from './testing/monitoring';
import type { TenantHub } from './tenant-hub';

const day = (n: number) => addDays(todayUtc(), n);

async function setWarranty(device: { deviceId: string; tenantId: string }, end: string, source = 'manual') {
  const row = { tenantId: device.tenantId, deviceId: device.deviceId, source, vendor: 'Dell', start: null, end, description: null, fetchedAt: Date.now(), updatedBy: 'usr_t' };
  await db()
    .insert(deviceWarranties)
    .values(row)
    .onConflictDoUpdate({ target: [deviceWarranties.deviceId, deviceWarranties.source], set: { end } });
}

async function install(device: { deviceId: string; tenantId: string }, name: string, version = '1.0') {
  await db()
    .insert(deviceSoftware)
    .values({ tenantId: device.tenantId, deviceId: device.deviceId, key: `dpkg:${name}:amd64`, name, nameNorm: name.toLowerCase(), version, versionKey: versionKey(version), publisher: null, source: 'dpkg', arch: 'amd64', firstSeenAt: Date.now() });
}

async function addLicence(fleet: Fleet, expires: string | null, match: LicenceMatch, clientId: string | null = null) {
  const id = uid('lic');
  const now = Date.now();
  await db().insert(licences).values({ id, tenantId: fleet.tenantId, clientId, product: 'Acme Office', seats: 5, expires, match, createdBy: 'usr_t', createdAt: now, updatedAt: now });
  return id;
}

/** Everything the engine recorded about a device's alerts: equal snapshots = nothing changed. */
async function alertState(deviceId: string) {
  const rows = await alertRows(deviceId);
  return { rows, events: await Promise.all(rows.map((r) => alertEvents(r.id))) };
}

const scheduled = (hub: DurableObjectStub<TenantHub>, key: string) =>
  runInDurableObject(hub, (_obj: TenantHub, state) => state.storage.sql.exec<{ due_at: number }>('SELECT due_at FROM schedule WHERE key = ?', key).toArray()[0]?.due_at ?? null);

describe('warranty expiry alerts', () => {
  it('opens at warning 45 days out, turns critical at 20, and resolves when renewed; a second run changes nothing', async () => {
    const fleet = await seedTenant();
    const device = await seedDevice(fleet);
    const hub = tenantHub(fleet.tenantId);
    await setWarranty(device, day(45));
    await hub.checkAssets();
    let rows = await alertRows(device.deviceId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      checkKey: 'asset:warranty',
      checkName: 'Warranty',
      checkType: 'asset_warranty',
      severity: 'warning',
      status: 'open',
      clientId: device.clientId,
      message: `Warranty ends ${day(45)} (45 days)`,
      value: 45,
    });
    const once = await alertState(device.deviceId);
    await hub.checkAssets();
    expect(await alertState(device.deviceId)).toEqual(once);

    await setWarranty(device, day(20));
    await hub.checkAssets();
    rows = await alertRows(device.deviceId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ severity: 'critical', status: 'open', message: `Warranty ends ${day(20)} (20 days)` });
    expect((await alertEvents(rows[0]!.id)).map((e) => e.kind)).toEqual(['opened', 'breach', 'severity']);

    // Renewed: another source now covers the device for years.
    await setWarranty(device, day(1000), 'csv');
    await hub.checkAssets();
    rows = await alertRows(device.deviceId);
    expect(rows[0]).toMatchObject({ status: 'resolved', resolvedBy: 'auto' });
    const resolved = await alertState(device.deviceId);
    await hub.checkAssets();
    expect(await alertState(device.deviceId)).toEqual(resolved);
  });

  it('grades by days left: info within 90, critical once expired; old expiries and far ends stay quiet', async () => {
    const fleet = await seedTenant();
    const [info, expired, stale, far, none] = await Promise.all([1, 2, 3, 4, 5].map(() => seedDevice(fleet)));
    await setWarranty(info!, day(80));
    await setWarranty(expired!, day(-3));
    await setWarranty(stale!, day(-400));
    await setWarranty(far!, day(91));
    await tenantHub(fleet.tenantId).checkAssets();
    expect((await alertRows(info!.deviceId))[0]).toMatchObject({ severity: 'info', message: `Warranty ends ${day(80)} (80 days)` });
    expect((await alertRows(expired!.deviceId))[0]).toMatchObject({ severity: 'critical', message: `Warranty ended ${day(-3)} (3 days ago)` });
    for (const d of [stale!, far!, none!]) expect(await alertRows(d.deviceId)).toEqual([]);
  });

  it('leaves an alert a technician resolved alone until it gets more urgent', async () => {
    const fleet = await seedTenant();
    const device = await seedDevice(fleet);
    const hub = tenantHub(fleet.tenantId);
    await setWarranty(device, day(75));
    await hub.checkAssets();
    const [first] = await alertRows(device.deviceId);
    await hub.alertAction('resolve', [first!.id], 'usr_tech');
    await hub.checkAssets();
    expect(await alertRows(device.deviceId)).toHaveLength(1);
    await setWarranty(device, day(50));
    await hub.checkAssets();
    const rows = await alertRows(device.deviceId);
    expect(rows).toHaveLength(2);
    expect(rows.find((r) => r.id !== first!.id)).toMatchObject({ status: 'open', severity: 'warning' });
  });

  it('goes through the engine: escalation notifies, and a maintenance window suppresses', async () => {
    const fleet = await seedTenant(2);
    const hub = tenantHub(fleet.tenantId);
    const owner = await seedUser(fleet.tenantId, 'owner');
    await seedPolicy(fleet.tenantId, [{ afterMinutes: 0, userIds: [owner], roles: [] }]);
    const device = await seedDevice(fleet, 0);
    const quiet = await seedDevice(fleet, 1);
    await seedWindow(fleet.tenantId, fleet.clientIds[1]!, Date.now() - 60_000, Date.now() + 3600_000);
    await setWarranty(device, day(10));
    await setWarranty(quiet, day(10));
    await hub.checkAssets();
    await runDurableObjectAlarm(hub);
    const sent = await notificationsFor(fleet.tenantId);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ userId: owner, title: expect.stringContaining('Warranty') });
    expect((await alertRows(quiet.deviceId))[0]).toMatchObject({ suppressed: true });
  });

  it('runs daily from the hub schedule', async () => {
    const fleet = await seedTenant();
    const device = await seedDevice(fleet);
    const hub = tenantHub(fleet.tenantId);
    await setWarranty(device, day(5));
    // Any call starts the hub, which schedules its first run.
    await hub.stats();
    const first = await scheduled(hub, 'assets');
    expect(first).toBeGreaterThan(Date.now());
    // A day later: the job is due and the hub's alarm fires.
    await runInDurableObject(hub, async (_obj: TenantHub, state) => {
      state.storage.sql.exec(`UPDATE schedule SET due_at = 0 WHERE key = 'assets'`);
      await state.storage.setAlarm(Date.now());
    });
    expect(await runDurableObjectAlarm(hub)).toBe(true);
    expect((await alertRows(device.deviceId))[0]).toMatchObject({ severity: 'critical', status: 'open' });
    expect(await scheduled(hub, 'assets')).toBeGreaterThan(Date.now() + 23 * 3600_000);
  });
});

describe('licence expiry alerts', () => {
  it('opens an alert on each device using a seat of a licence expiring in 10 days; a second run changes nothing', async () => {
    const fleet = await seedTenant(2);
    const hub = tenantHub(fleet.tenantId);
    const user = await seedDevice(fleet, 0);
    const otherClient = await seedDevice(fleet, 1);
    const notUsing = await seedDevice(fleet, 0);
    await install(user, 'Acme Office 2024');
    await install(otherClient, 'Acme Office 2024');
    await install(notUsing, 'Something Else');
    const id = await addLicence(fleet, day(10), { name: 'acme office', exact: false }, fleet.clientIds[0]!);
    await hub.checkAssets();
    const rows = await alertRows(user.deviceId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      checkKey: `asset:licence:${id}`,
      checkName: 'Licence: Acme Office',
      severity: 'warning',
      status: 'open',
      message: `Acme Office licence expires ${day(10)} (10 days)`,
    });
    // The licence is the first client's: the other client's install is not one of its seats.
    expect(await alertRows(otherClient.deviceId)).toEqual([]);
    expect(await alertRows(notUsing.deviceId)).toEqual([]);
    const once = await alertState(user.deviceId);
    await hub.checkAssets();
    expect(await alertState(user.deviceId)).toEqual(once);

    // Expired: critical. Renewed: resolved.
    await db().update(licences).set({ expires: day(-1) }).where(eq(licences.id, id));
    await hub.checkAssets();
    expect((await alertRows(user.deviceId))[0]).toMatchObject({ severity: 'critical', message: `Acme Office licence expired ${day(-1)} (1 day ago)` });
    await db().update(licences).set({ expires: day(365) }).where(eq(licences.id, id));
    await hub.checkAssets();
    expect((await alertRows(user.deviceId))[0]).toMatchObject({ status: 'resolved', resolvedBy: 'auto' });
  });

  it('covers every client for a tenant-wide licence, ignores perpetual and distant ones, and resolves when the licence goes', async () => {
    const fleet = await seedTenant(2);
    const hub = tenantHub(fleet.tenantId);
    const a = await seedDevice(fleet, 0);
    const b = await seedDevice(fleet, 1);
    await install(a, 'Widget Pro', '3.2');
    await install(b, 'Widget Pro', '2.0');
    const wide = await addLicence(fleet, day(0), { name: 'widget pro', exact: true, minVersion: '3' });
    await addLicence(fleet, null, { name: 'widget', exact: false });
    await addLicence(fleet, day(31), { name: 'widget', exact: false });
    await hub.checkAssets();
    expect(await alertRows(a.deviceId)).toEqual([expect.objectContaining({ checkKey: `asset:licence:${wide}`, severity: 'critical', message: `Acme Office licence expires today (${day(0)})` })]);
    // Below the licence's minimum version: not a seat.
    expect(await alertRows(b.deviceId)).toEqual([]);
    await db().delete(licences).where(eq(licences.id, wide));
    await hub.checkAssets();
    expect((await alertRows(a.deviceId))[0]).toMatchObject({ status: 'resolved' });
    expect(await db().select().from(schema.alerts).where(eq(schema.alerts.tenantId, fleet.tenantId)).all()).toHaveLength(1);
  });
});
