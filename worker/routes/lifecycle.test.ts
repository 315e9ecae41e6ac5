import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { alerts } from '../../db/schema';
import { deviceAssets, deviceInventory, deviceWarranties } from '../../db/inventory-schema';
import type { HardwareInventory, OsInventory } from '../../protocol/inventory';
import { DeviceLifecycle, LifecycleReport } from '../../protocol/api/lifecycle';
import { getDb } from '../lib/db';
import { newId } from '../lib/ids';
import { addMonths, addYears, isoDay } from '../lib/lifecycle/dates';
import { addUser, api, createTenantDirect, insertDevice, type DirectTenant } from '../../test/support';

/*
 * Devices seeded straight into D1 as the inventory, warranty and alert writers leave them:
 * a healthy young laptop, a worn-out desktop, a server of a second client, and a device
 * whose inventory never arrived.
 */

const DAY = 86_400_000;
const GB = 1e9;
const db = () => getDb(env);
const daysAgo = (n: number) => isoDay(Date.now() - n * DAY);
const today = () => isoDay(Date.now());

type Disk = { device: string; model: string; smart: string | null };
type Volume = { mount: string; fs: string; sizeBytes: number; usedBytes: number };

function hardware(o: { manufacturer: string; model: string; serial: string; biosDate: string; disks: Disk[]; volumes: Volume[] }): HardwareInventory {
  return {
    system: { manufacturer: o.manufacturer, model: o.model, serial: o.serial, uuid: crypto.randomUUID(), sku: null, chassis: 'Notebook' },
    bios: { vendor: 'Dell Inc.', version: '1.24.0', releaseDate: o.biosDate },
    baseboard: { manufacturer: o.manufacturer, model: '0K2RTM', serial: `/${o.serial}/CNWS2001`, version: 'A00' },
    cpu: { manufacturer: 'Intel', model: 'Intel(R) Core(TM) i7-1185G7 @ 3.00GHz', cores: 4, threads: 8, speedMHz: 3000, sockets: 1 },
    memory: {
      totalBytes: 16 * 2 ** 30,
      modules: [{ slot: 'DIMM A', sizeBytes: 16 * 2 ** 30, speedMHz: 4267, type: 'LPDDR4', manufacturer: 'Micron', partNumber: 'MT53E1G32D2NP', serial: null }],
    },
    disks: o.disks.map((d) => ({ ...d, serial: `S${Math.random().toString(36).slice(2, 10)}`, sizeBytes: 512 * GB, type: 'SSD', interface: 'NVMe' })),
    volumes: o.volumes.map((v) => ({ ...v, label: null })),
    gpus: [{ vendor: 'Intel Corporation', model: 'Iris Xe Graphics', vramBytes: null, driverVersion: null }],
    displays: [],
    nics: [{ name: 'wlan0', mac: '3c:58:c2:11:22:33', speedMbps: null, type: 'wireless', virtual: false, ipv4: ['192.168.1.20'], ipv6: [] }],
    usb: [],
    battery: { manufacturer: 'SMP', model: 'DELL WN2', designCapacityWh: 52, fullCapacityWh: 44, cycleCount: 310, healthPercent: 85 },
    tpm: { present: true, version: '2.0', manufacturer: 'NTC' },
    secureBoot: true,
  };
}

async function seedInventory(tenant: DirectTenant, deviceId: string, os: OsInventory, hw: HardwareInventory): Promise<void> {
  await db()
    .insert(deviceInventory)
    .values({
      deviceId,
      tenantId: tenant.tenantId,
      hash: 'a'.repeat(64),
      collectedAt: Date.now(),
      updatedAt: Date.now(),
      os,
      hardware: hw,
      manufacturer: hw.system.manufacturer,
      model: hw.system.model,
      serial: hw.system.serial,
      chassis: hw.system.chassis,
      cpuModel: hw.cpu.model,
      cpuCores: hw.cpu.cores,
      ramBytes: hw.memory.totalBytes,
      diskBytes: hw.disks.reduce((s, d) => s + (d.sizeBytes ?? 0), 0),
      osName: os.name,
      osVersion: os.version,
      firmwareDate: hw.bios.releaseDate,
      softwareCount: 0,
    });
}

const warranty = (tenant: DirectTenant, deviceId: string, source: string, start: string | null, end: string) =>
  db().insert(deviceWarranties).values({ tenantId: tenant.tenantId, deviceId, source, vendor: 'Dell', start, end, fetchedAt: Date.now(), updatedBy: tenant.userId });

async function alert(tenant: DirectTenant, deviceId: string, clientId: string, checkType: string, ageDays: number, suppressed = false): Promise<void> {
  const at = Date.now() - ageDays * DAY;
  const id = newId('alr');
  await db()
    .insert(alerts)
    .values({
      id, tenantId: tenant.tenantId, deviceId, clientId, checkKey: `${checkType}-${id}`, checkName: checkType, checkType,
      severity: 'warning', status: 'resolved', message: `${checkType} alert`, openedAt: at, resolvedAt: at + 60_000, updatedAt: at, suppressed,
    });
}

const ubuntu: OsInventory = { platform: 'linux', name: 'Ubuntu', version: '24.04.1 LTS', build: 'noble', kernel: '6.8.0-45-generic', arch: 'x64', installedAt: null };
const win10: OsInventory = { platform: 'win32', name: 'Microsoft Windows 10 Pro', version: '10.0.19045', build: '19045.5011', kernel: '10.0.19045', arch: 'x64', installedAt: null };

let t: DirectTenant;
let other: DirectTenant;
let client2: string;
const ids = { good: '', bad: '', server: '', bare: '', foreign: '' };
const purchase = daysAgo(365);

beforeAll(async () => {
  t = await createTenantDirect('Lifecycle MSP');
  other = await createTenantDirect('Other MSP');
  client2 = (await api(t, 'POST', '/clients', { name: 'Second client' })).body.id;
  const site2 = (await api(t, 'POST', '/sites', { clientId: client2, name: 'HQ' })).body.id;

  ids.good = await insertDevice(t, { hostname: 'good-laptop', osPlatform: 'linux', osName: 'Ubuntu', osVersion: '24.04.1 LTS' });
  await seedInventory(t, ids.good, ubuntu, hardware({
    manufacturer: 'Dell Inc.', model: 'Latitude 7420', serial: 'GOOD123', biosDate: daysAgo(500),
    disks: [{ device: '/dev/nvme0n1', model: 'KXG60ZNV512G', smart: 'Ok' }],
    volumes: [{ mount: '/', fs: 'ext4', sizeBytes: 500 * GB, usedBytes: 150 * GB }, { mount: '/snap/core22/1380', fs: 'squashfs', sizeBytes: GB, usedBytes: GB }],
  }));
  await db().insert(deviceAssets).values({ deviceId: ids.good, tenantId: t.tenantId, purchaseDate: purchase, assetTag: 'A-1', updatedAt: Date.now(), updatedBy: t.userId });
  await warranty(t, ids.good, 'dell', daysAgo(360), isoDay(Date.now() + 800 * DAY));

  // The hostname is hostile text: the CSV must not hand it to a spreadsheet as a formula.
  ids.bad = await insertDevice(t, { hostname: '=HYPERLINK("http://x.test","old")', osPlatform: 'win32', osName: 'Microsoft Windows 10 Pro', osVersion: '10.0.19045' });
  await seedInventory(t, ids.bad, win10, hardware({
    manufacturer: 'HP', model: 'EliteDesk 800 G1', serial: 'BAD456', biosDate: daysAgo(7 * 365),
    disks: [{ device: 'PhysicalDrive0', model: 'ST500DM002', smart: 'Pred Fail' }],
    volumes: [{ mount: 'C:\\', fs: 'NTFS', sizeBytes: 500 * GB, usedBytes: 485 * GB }],
  }));
  await warranty(t, ids.bad, 'manual', null, daysAgo(400));
  for (let i = 0; i < 4; i++) await alert(t, ids.bad, t.clientId, 'offline', i + 1);
  await alert(t, ids.bad, t.clientId, 'metric', 2);
  await alert(t, ids.bad, t.clientId, 'event_log', 3);
  // Outside the 30 days, or raised inside a maintenance window: neither counts.
  await alert(t, ids.bad, t.clientId, 'offline', 45);
  await alert(t, ids.bad, t.clientId, 'offline', 1, true);

  ids.server = await insertDevice({ tenantId: t.tenantId, clientId: client2, siteId: site2 }, { hostname: 'server-01', osName: 'Ubuntu', osVersion: '24.04.1 LTS' });
  await seedInventory(t, ids.server, ubuntu, hardware({
    manufacturer: 'Dell Inc.', model: 'PowerEdge R640', serial: 'SRV789', biosDate: daysAgo(3 * 365),
    disks: [{ device: '/dev/sda', model: 'PERC H730P', smart: null }],
    volumes: [{ mount: '/', fs: 'xfs', sizeBytes: 100 * GB, usedBytes: 88 * GB }, { mount: '/var', fs: 'xfs', sizeBytes: 100 * GB, usedBytes: 20 * GB }],
  }));

  ids.bare = await insertDevice(t, { hostname: 'bare-box', osName: 'Arch Linux', osVersion: 'rolling' });
  ids.foreign = await insertDevice(other, { hostname: 'foreign-box' });
});

const lifecycleOf = async (id: string) => {
  const res = await api(t, 'GET', `/devices/${id}/lifecycle`);
  expect(res.status).toBe(200);
  return v.parse(DeviceLifecycle, res.body);
};
const scoreOf = (l: DeviceLifecycle, key: string) => l.components.find((c) => c.key === key)!.score;

describe('GET /devices/:id/lifecycle', () => {
  it('scores a healthy young device A and forecasts its replacement at the tenant’s age', async () => {
    const l = await lifecycleOf(ids.good);
    expect(l).toMatchObject({ deviceId: ids.good, since: purchase, sinceSource: 'purchase', ageYears: 1, grade: 'A', replaceBy: addYears(purchase, 5) });
    expect(l.replaceReason).toBe(`5 years after purchase ${purchase}`);
    expect(l.components.map((c) => [c.key, c.score])).toEqual([
      ['smart', 100], ['disk_space', 100], ['stability', 100], ['alerts', 100], ['warranty', 100], ['os_eol', 100], ['age', 100],
    ]);
    expect(l.components.find((c) => c.key === 'disk_space')!.detail).toBe('/ at 30 % used');
  });

  it('scores a worn-out device F from its rows: failing disk, full volume, recent alerts, expired warranty, old firmware', async () => {
    const l = await lifecycleOf(ids.bad);
    expect(l).toMatchObject({ sinceSource: 'firmware', since: daysAgo(7 * 365), grade: 'F', replaceBy: today() });
    expect(scoreOf(l, 'smart')).toBe(0);
    expect(scoreOf(l, 'disk_space')).toBe(0);
    // 4 offline + 1 event-log alert; 6 alerts in all (the old and the suppressed ones do not count).
    expect(scoreOf(l, 'stability')).toBe(0);
    expect(l.components.find((c) => c.key === 'stability')!.detail).toBe('5 offline or event-log alerts in the last 30 days');
    expect(scoreOf(l, 'alerts')).toBe(40);
    expect(l.components.find((c) => c.key === 'warranty')!.detail).toBe(`warranty ended ${daysAgo(400)}`);
    expect(scoreOf(l, 'age')).toBe(0);
    expect(l.replaceReason).toBe(`overdue: 5 years after firmware date ${daysAgo(7 * 365)} was ${addYears(daysAgo(7 * 365), 5)}; health grade F (score ${l.score})`);
  });

  it('judges a device without inventory on what is known, leaving the rest out', async () => {
    const l = await lifecycleOf(ids.bare);
    expect(l.components.filter((c) => c.score === null).map((c) => c.key)).toEqual(['smart', 'disk_space', 'warranty', 'os_eol', 'age']);
    expect(l.components.find((c) => c.key === 'smart')!.detail).toBe('no inventory received yet');
    expect(l).toMatchObject({ since: null, ageYears: null, score: 100, grade: 'A', replaceBy: null });
  });

  it('answers 404 for another tenant’s device, an unknown id, and a device of a client the user may not see', async () => {
    for (const id of [ids.foreign, 'dev_nope']) {
      const res = await api(t, 'GET', `/devices/${id}/lifecycle`);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
    const limited = await addUser(t, 'readonly', [t.clientId]);
    expect((await api(limited, 'GET', `/devices/${ids.server}/lifecycle`)).status).toBe(404);
    expect((await api(limited, 'GET', `/devices/${ids.good}/lifecycle`)).status).toBe(200);
  });
});

describe('GET /reports/lifecycle', () => {
  it('lists the fleet worst first with a summary', async () => {
    const res = await api(t, 'GET', '/reports/lifecycle');
    expect(res.status).toBe(200);
    const report = v.parse(LifecycleReport, res.body);
    expect(report.items.map((r) => r.deviceId)[0]).toBe(ids.bad);
    expect(report.items.map((r) => r.score)).toEqual([...report.items.map((r) => r.score)].sort((a, b) => a - b));
    expect(new Set(report.items.map((r) => r.deviceId))).toEqual(new Set([ids.good, ids.bad, ids.server, ids.bare]));
    const server = report.items.find((r) => r.deviceId === ids.server)!;
    expect(server).toMatchObject({ hostname: 'server-01', clientName: 'Second client', manufacturer: 'Dell Inc.', model: 'PowerEdge R640', sinceSource: 'firmware' });
    const grades = Object.fromEntries(['A', 'B', 'C', 'D', 'F'].map((g) => [g, report.items.filter((r) => r.grade === g).length]));
    expect(report.summary.grades).toEqual(grades);
    const horizon = addMonths(today(), 12);
    expect(report.summary.replaceWithin12Months).toBe(report.items.filter((r) => r.replaceBy !== null && r.replaceBy <= horizon).length);
    expect(report.summary.replaceWithin12Months).toBeGreaterThanOrEqual(1);
    // good 1.0, bad 7.0, server 3.0 years (the bare box has no age).
    expect(report.summary.averageAgeYears).toBeCloseTo((1 + 7 + 3) / 3, 0);
  });

  it('pages with a cursor in the same order, and filters by grade and client', async () => {
    const all = (await api(t, 'GET', '/reports/lifecycle')).body.items.map((r: { deviceId: string }) => r.deviceId);
    const walked: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: LifecycleReport } = await api(t, 'GET', `/reports/lifecycle?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      walked.push(...res.body.items.map((r) => r.deviceId));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(walked).toEqual(all);

    const f = await api(t, 'GET', '/reports/lifecycle?grade=F');
    expect(f.body.items.map((r: { deviceId: string }) => r.deviceId)).toEqual([ids.bad]);
    // The summary still counts every grade.
    expect(Object.values(f.body.summary.grades as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(4);

    const byClient = await api(t, 'GET', `/reports/lifecycle?clientId=${client2}`);
    expect(byClient.body.items.map((r: { deviceId: string }) => r.deviceId)).toEqual([ids.server]);
    expect(byClient.body.summary.grades).toMatchObject({ [byClient.body.items[0].grade]: 1 });
  });

  it('shows a limited user only their clients’ devices, and another tenant nothing of this one', async () => {
    const limited = await addUser(t, 'readonly', [client2]);
    const mine = await api(limited, 'GET', '/reports/lifecycle');
    expect(mine.body.items.map((r: { deviceId: string }) => r.deviceId)).toEqual([ids.server]);
    expect((await api(limited, 'GET', `/reports/lifecycle?clientId=${t.clientId}`)).body.items).toEqual([]);
    const foreign = await api(other, 'GET', '/reports/lifecycle');
    expect(foreign.body.items.map((r: { deviceId: string }) => r.deviceId)).toEqual([ids.foreign]);
    expect((await api(await addUser(t, 'client', [t.clientId]), 'GET', '/reports/lifecycle')).status).toBe(403);
  });

  it('refuses a bad grade, limit or cursor', async () => {
    for (const q of ['grade=E', 'limit=0', 'limit=501', 'cursor=%21%21']) {
      const res = await api(t, 'GET', `/reports/lifecycle?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
  });

  it('exports CSV with every matching device, formula-safe', async () => {
    const res = await api(t, 'GET', '/reports/lifecycle.csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="lifecycle-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = (res.body as string).trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'hostname,client,manufacturer,model,score,grade,age years,since,since source,replace by,replace reason,' +
        'Disk health (SMART),Disk space,Stability,Alert frequency,Warranty,OS support,Age',
    );
    expect(lines).toHaveLength(5);
    // The worst device first, its formula-like hostname quoted behind an apostrophe.
    expect(lines[1]).toMatch(/^"'=HYPERLINK\(""http:\/\/x\.test"",""old""\)",Internal,HP,EliteDesk 800 G1,\d+,F,7,/);
    const onlyA = (await api(t, 'GET', '/reports/lifecycle.csv?grade=A')).body as string;
    expect(onlyA).not.toContain('HYPERLINK');
    expect(onlyA).toContain('good-laptop');
    const limited = await addUser(t, 'readonly', [client2]);
    const theirs = (await api(limited, 'GET', '/reports/lifecycle.csv')).body as string;
    expect(theirs.trimEnd().split('\r\n')).toHaveLength(2);
    expect(theirs).toContain('server-01');
  });
});

describe('lifecycle settings', () => {
  it('starts at 5 years; admins change it (audited) and the forecast follows; others are refused', async () => {
    const readonly = await addUser(t, 'readonly');
    const tech = await addUser(t, 'technician');
    const admin = await addUser(t, 'admin');
    expect((await api(readonly, 'GET', '/settings/lifecycle')).body).toEqual({ replaceAfterYears: 5 });
    expect((await api(tech, 'PUT', '/settings/lifecycle', { replaceAfterYears: 3 })).status).toBe(403);
    for (const body of [{ replaceAfterYears: 0 }, { replaceAfterYears: 16 }, { replaceAfterYears: 2.5 }, { replaceAfterYears: '3' }, {}]) {
      expect((await api(admin, 'PUT', '/settings/lifecycle', body)).status, JSON.stringify(body)).toBe(400);
    }
    const res = await api(admin, 'PUT', '/settings/lifecycle', { replaceAfterYears: 3 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ replaceAfterYears: 3 });
    expect((await lifecycleOf(ids.good)).replaceBy).toBe(addYears(purchase, 3));
    // Another tenant keeps its own.
    expect((await api(other, 'GET', '/settings/lifecycle')).body).toEqual({ replaceAfterYears: 5 });

    const audit = await env.DB.prepare("SELECT actor_id, detail FROM audit_log WHERE tenant_id = ? AND action = 'settings.lifecycle.update'")
      .bind(t.tenantId)
      .all<{ actor_id: string; detail: string }>();
    expect(audit.results).toHaveLength(1);
    expect(audit.results[0]!.actor_id).toBe(admin.userId);
    expect(JSON.parse(audit.results[0]!.detail)).toEqual({ before: { replaceAfterYears: 5 }, after: { replaceAfterYears: 3 } });
  });
});
