import { env } from 'cloudflare:test';
import * as v from 'valibot';
import { beforeAll, describe, expect, it } from 'vitest';
import { addUser, api, createTenantDirect, insertDevice, type Auth, type DirectTenant } from '../../test/support';
import { deb, debianOs, hardware, seedChange, seedInventory } from '../../test/inventory-seed';
import { FleetSearchPage, type SearchCondition } from '../../protocol/api/fleet-search';
import { FleetSoftwarePage } from '../../protocol/api/inventory';
import type { SoftwareItem } from '../../protocol/inventory';

/*
 * Fleet-wide inventory: software by name, the change timeline, and fleet search with every
 * kind of condition, the device filter, all/any, paging and CSV, for the whole tenant and
 * for a caller limited to one client.
 */

let t: DirectTenant;
let clientB: string;
let siteB: string;
const dev: Record<'a1' | 'a2' | 'a3' | 'b1' | 'b2' | 'gone', string> = { a1: '', a2: '', a3: '', b1: '', b2: '', gone: '' };
let limited: Auth;

const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

const win = (name: string, version: string, publisher: string): SoftwareItem => ({
  name,
  version,
  publisher,
  installedAt: null,
  sizeBytes: null,
  source: 'windows_registry',
  arch: 'x64',
});

async function ok<T = any>(auth: Auth, method: string, path: string, body?: unknown): Promise<T> {
  const res = await api(auth, method, path, body);
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as T;
}

async function warranty(deviceId: string, start: string | null, end: string): Promise<void> {
  await env.DB.prepare(
    "INSERT INTO device_warranties (tenant_id, device_id, source, vendor, start, end, fetched_at, updated_by) VALUES (?, ?, 'manual', 'Vendor', ?, ?, ?, 'usr_x')",
  )
    .bind(t.tenantId, deviceId, start, end, Date.now())
    .run();
}

beforeAll(async () => {
  t = await createTenantDirect('Fleet MSP');
  clientB = (await ok(t, 'POST', '/clients', { name: 'Bravo' })).id;
  siteB = (await ok(t, 'POST', '/sites', { clientId: clientB, name: 'Bravo HQ' })).id;
  const atB = { ...t, clientId: clientB, siteId: siteB };
  dev.a1 = await insertDevice(t, { hostname: 'alpha-1', status: 'online' });
  dev.a2 = await insertDevice(t, { hostname: 'alpha-2', osPlatform: 'win32', osName: 'Microsoft Windows 10 Pro', osVersion: '10.0.19044' });
  dev.a3 = await insertDevice(t, { hostname: 'alpha-3' });
  dev.b1 = await insertDevice(atB, { hostname: 'bravo-1' });
  dev.b2 = await insertDevice(atB, { hostname: 'bravo-2' });
  dev.gone = await insertDevice(t, { hostname: 'alpha-gone', revokedAt: Date.now() });

  await seedInventory(t, dev.a1, {
    os: debianOs('12'),
    hardware: hardware({ ramGb: 16, diskGb: 512, cores: 10, firmwareDate: '2019-05-01' }),
    software: [deb('google-chrome-stable', '119.0.6045.105-1', { publisher: 'Google LLC' }), deb('curl', '7.88.1-10+deb12u5'), deb('python3.11', '3.11.2-6')],
  });
  await seedInventory(t, dev.a2, {
    os: { platform: 'win32', name: 'Microsoft Windows 10 Pro', version: '10.0.19044', build: '19044', kernel: '10.0.19044', arch: 'x64', installedAt: null },
    hardware: hardware({ manufacturer: 'HP', model: '=2+3', ramGb: 8, diskGb: 256, cores: 4, firmwareDate: '2015-01-01', chassis: 'Desktop' }),
    software: [win('Google Chrome', '121.0.6167.85', 'Google LLC'), win('7-Zip 23.01 (x64)', '23.01', 'Igor Pavlov')],
  });
  await seedInventory(t, dev.a3, { os: debianOs('10'), hardware: hardware({ ramGb: 4, firmwareDate: '2012-03-01' }), software: [deb('curl', '7.64.0-4+deb10u9')] });
  await seedInventory(t, dev.b1, {
    os: { platform: 'linux', name: 'Ubuntu', version: '22.04.4 LTS', build: 'jammy', kernel: '5.15.0-105-generic', arch: 'x64', installedAt: null },
    hardware: hardware({ manufacturer: 'LENOVO', model: 'ThinkPad T14', ramGb: 32, diskGb: 1024, cores: 12, firmwareDate: '2010-01-01' }),
    software: [deb('google-chrome-stable', '120.0.6099.71-1', { publisher: 'Google LLC' }), deb('sophos-av', '1.2.3', { publisher: 'Sophos' }), deb('curl', '7.81.0-1ubuntu1.16')],
  });
  await seedInventory(t, dev.gone, { software: [deb('google-chrome-stable', '99.0.1-1'), deb('revoked-only', '1')] });

  // Age: a2 from its purchase date (not its 2015 firmware), b1 from its warranty start (not its 2010 firmware), a1 from firmware.
  await env.DB.prepare("INSERT INTO device_assets (device_id, tenant_id, purchase_date, updated_at, updated_by) VALUES (?, ?, ?, ?, 'usr_x')")
    .bind(dev.a2, t.tenantId, isoDay(Date.now() - 3 * 365 * DAY), Date.now())
    .run();
  await warranty(dev.b1, isoDay(Date.now() - 4 * 365 * DAY), isoDay(Date.now() + 30 * DAY));
  await warranty(dev.a1, null, isoDay(Date.now() - 10 * DAY));

  const now = Date.now();
  await seedChange(t, dev.a1, { at: now - 3 * DAY, kind: 'software_updated', subject: 'google-chrome-stable', source: 'dpkg', fromValue: '118', toValue: '119' });
  await seedChange(t, dev.b1, { at: now - 2 * DAY, kind: 'software_added', subject: 'sophos-av', source: 'dpkg', toValue: '1.2.3' });
  await seedChange(t, dev.gone, { at: now - DAY, kind: 'software_added', subject: 'revoked-only', source: 'dpkg', toValue: '1' });

  // Another tenant with the same software must never show.
  const other = await createTenantDirect('Other MSP');
  const theirs = await insertDevice(other, { hostname: 'alpha-theirs' });
  await seedInventory(other, theirs, { software: [deb('google-chrome-stable', '1.0-1')] });
  await seedChange(other, theirs, { at: now, kind: 'software_added', subject: 'google-chrome-stable', toValue: '1.0-1' });

  limited = await addUser(t, 'readonly', [t.clientId]);
});

const names = (body: unknown) => v.parse(FleetSearchPage, body).items.map((r) => Object.entries(dev).find(([, id]) => id === r.deviceId)?.[0] ?? r.hostname);

async function search(conditions: SearchCondition[] | Record<string, unknown>[], extra: Record<string, unknown> = {}, who: Auth = t): Promise<string[]> {
  const res = await api(who, 'POST', '/inventory/search', { query: { conditions, ...extra } });
  if (res.status !== 200) throw new Error(`search ${JSON.stringify(conditions)}: ${res.status} ${JSON.stringify(res.body)}`);
  expect(res.body.total).toBe(res.body.items.length);
  return names(res.body);
}

describe('POST /inventory/search', () => {
  it('finds software by name: equals, starts_with and contains, case-insensitively, with the matched item', async () => {
    expect(await search([{ field: 'software', op: 'installed', name: 'GOOGLE CHROME', match: 'equals' }])).toEqual(['a2']);
    expect(await search([{ field: 'software', op: 'installed', name: 'Google-Chrome', match: 'starts_with' }])).toEqual(['a1', 'b1']);
    expect(await search([{ field: 'software', op: 'installed', name: 'chrome' }])).toEqual(['a1', 'a2', 'b1']);
    // LIKE wildcards in the name are literal characters.
    expect(await search([{ field: 'software', op: 'installed', name: '3_11' }])).toEqual([]);
    expect(await search([{ field: 'software', op: 'installed', name: 'python3.' }])).toEqual(['a1']);
    const res = await api(t, 'POST', '/inventory/search', { query: { conditions: [{ field: 'software', op: 'installed', name: 'chrome' }] } });
    expect(res.body.items.map((r: { matched: unknown }) => r.matched)).toEqual([
      { name: 'google-chrome-stable', version: '119.0.6045.105-1' },
      { name: 'Google Chrome', version: '121.0.6167.85' },
      { name: 'google-chrome-stable', version: '120.0.6099.71-1' },
    ]);
    expect(res.body.items[1]).toMatchObject({ hostname: 'alpha-2', clientName: 'Internal', osName: 'Microsoft Windows 10 Pro', manufacturer: 'HP', ramBytes: 8e9, status: 'offline' });
    expect(typeof res.body.tookMs).toBe('number');
  });

  it('compares versions as versions, and finds devices missing software (only among devices with inventory)', async () => {
    const chrome = (op: string, value: string) => [{ field: 'software', op: 'installed', name: 'chrome', version: { op, value } }];
    expect(await search(chrome('lt', '120'))).toEqual(['a1']);
    expect(await search(chrome('gte', '120'))).toEqual(['a2', 'b1']);
    expect(await search(chrome('lt', '120.0.6099.72'))).toEqual(['a1', 'b1']);
    expect(await search(chrome('eq', '121.0.6167.85'))).toEqual(['a2']);
    expect(await search([{ field: 'software', op: 'missing', name: 'sophos' }])).toEqual(['a1', 'a2', 'a3']);
    expect(await search([{ field: 'software', op: 'missing', name: 'chrome', version: { op: 'gte', value: '120' } }])).toEqual(['a1', 'a3']);
  });

  it('filters on hardware numbers, age and warranty', async () => {
    expect(await search([{ field: 'ram_gb', op: 'lt', value: 10 }])).toEqual(['a2', 'a3']);
    expect(await search([{ field: 'ram_gb', op: 'gte', value: 16 }])).toEqual(['a1', 'b1']);
    expect(await search([{ field: 'disk_gb', op: 'gt', value: 600 }])).toEqual(['b1']);
    expect(await search([{ field: 'cpu_cores', op: 'eq', value: 4 }])).toEqual(['a2']);
    expect(await search([{ field: 'software_count', op: 'gte', value: 3 }])).toEqual(['a1', 'b1']);
    // a1 from its 2019 firmware; a2 bought 3 years ago (firmware 2015); b1's warranty began 4 years ago (firmware 2010).
    expect(await search([{ field: 'age_years', op: 'gt', value: 5 }])).toEqual(['a1', 'a3']);
    expect(await search([{ field: 'age_years', op: 'lt', value: 3.5 }])).toEqual(['a2']);
    expect(await search([{ field: 'age_years', op: 'gte', value: 3.5 }, { field: 'age_years', op: 'lt', value: 5 }])).toEqual(['b1']);
    expect(await search([{ field: 'warranty_days_left', op: 'lt', value: 0 }])).toEqual(['a1']);
    expect(await search([{ field: 'warranty_days_left', op: 'eq', value: 30 }])).toEqual(['b1']);
    expect(await search([{ field: 'warranty_days_left', op: 'lt', value: 60 }])).toEqual(['a1', 'b1']);
  });

  it('filters on text facts, the OS version and end of life, and devices without inventory', async () => {
    expect(await search([{ field: 'manufacturer', op: 'equals', value: 'dell inc.' }])).toEqual(['a1', 'a3']);
    expect(await search([{ field: 'model', op: 'starts_with', value: 'think' }])).toEqual(['b1']);
    expect(await search([{ field: 'os_name', op: 'not_contains', value: 'debian' }])).toEqual(['a2', 'b1']);
    expect(await search([{ field: 'chassis', op: 'contains', value: 'desk' }])).toEqual(['a2']);
    expect(await search([{ field: 'hostname', op: 'starts_with', value: 'bravo' }])).toEqual(['b1', 'b2']);
    expect(await search([{ field: 'os_name', op: 'contains', value: 'debian' }, { field: 'os_version', op: 'lt', value: '11' }])).toEqual(['a3']);
    expect(await search([{ field: 'os_version', op: 'gte', value: '22' }])).toEqual(['b1']);
    // Debian 10 and Windows 10 21H2 (consumer) are past their end; Debian 12 and Ubuntu 22.04 are not.
    expect(await search([{ field: 'os_eol', op: 'is' }])).toEqual(['a2', 'a3']);
    expect(await search([{ field: 'os_eol', op: 'is_not' }])).toEqual(['a1', 'b1']);
    expect(await search([{ field: 'no_inventory' }])).toEqual(['b2']);
  });

  it('combines with any, narrows by the device filter, and limits a client-limited caller', async () => {
    expect(await search([{ field: 'ram_gb', op: 'lt', value: 5 }, { field: 'no_inventory' }], { match: 'any' })).toEqual(['a3', 'b2']);
    expect(await search([{ field: 'software', op: 'installed', name: 'chrome' }], { filter: { clientId: clientB } })).toEqual(['b1']);
    expect(await search([{ field: 'software', op: 'installed', name: 'chrome' }], { filter: { platform: 'windows' } })).toEqual(['a2']);
    expect(await search([{ field: 'software', op: 'installed', name: 'chrome' }], { filter: { status: 'online' } })).toEqual(['a1']);
    expect(await search([{ field: 'software', op: 'installed', name: 'chrome' }], {}, limited)).toEqual(['a1', 'a2']);
    expect(await search([{ field: 'hostname', op: 'contains', value: 'a' }], {}, limited)).toEqual(['a1', 'a2', 'a3']);
  });

  it('pages by hostname with the total of every match', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (;;) {
      const res = await api(t, 'POST', '/inventory/search', { query: { conditions: [{ field: 'hostname', op: 'contains', value: '-' }] }, limit: 2, cursor });
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(5);
      seen.push(...names(res.body));
      if (!res.body.nextCursor) break;
      cursor = res.body.nextCursor;
    }
    expect(seen).toEqual(['a1', 'a2', 'a3', 'b1', 'b2']);
  });

  it('refuses an invalid query with the issue named', async () => {
    const empty = await api(t, 'POST', '/inventory/search', { query: { conditions: [] } });
    expect(empty.status).toBe(400);
    expect(empty.body.error.issues).toContainEqual({ path: 'query.conditions', message: 'add at least one condition' });
    const badField = await api(t, 'POST', '/inventory/search', { query: { conditions: [{ field: 'colour', op: 'is', value: 'red' }] } });
    expect(badField.status).toBe(400);
    expect(badField.body.error.issues[0].path).toBe('query.conditions.0.field');
    const badName = await api(t, 'POST', '/inventory/search', { query: { conditions: [{ field: 'software', op: 'installed', name: '  ' }] } });
    expect(badName.body.error.issues).toContainEqual({ path: 'query.conditions.0.name', message: 'required' });
    expect((await api(t, 'POST', '/inventory/search', { query: { conditions: [{ field: 'ram_gb', op: 'lt', value: '8' }] } })).status).toBe(400);
    expect((await api(t, 'POST', '/inventory/search', { query: { conditions: [{ field: 'no_inventory' }] }, cursor: 'bogus' })).status).toBe(400);
  });

  it('exports every match as formula-safe CSV', async () => {
    const res = await api(t, 'POST', '/inventory/search.csv', { query: { conditions: [{ field: 'software', op: 'installed', name: 'chrome' }] }, limit: 1 });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="fleet-search.csv"');
    const lines = (res.body as string).trimEnd().split('\r\n');
    expect(lines[0]).toBe('hostname,display name,client,status,os,os version,manufacturer,model,ram bytes,matched software,matched version');
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['alpha-1', 'alpha-2', 'bravo-1']);
    expect(lines[2]).toBe("alpha-2,,Internal,offline,Microsoft Windows 10 Pro,10.0.19044,HP,'=2+3,8000000000,Google Chrome,121.0.6167.85");
  });
});

describe('GET /inventory/software', () => {
  const rows = (body: unknown) => v.parse(FleetSoftwarePage, body).items;

  it('groups the fleet\'s software by name with device and version counts, newest versions first', async () => {
    const res = await api(t, 'GET', '/inventory/software');
    expect(res.status).toBe(200);
    const list = rows(res.body);
    expect(list.map((r) => r.name)).toEqual(['7-Zip 23.01 (x64)', 'curl', 'Google Chrome', 'google-chrome-stable', 'python3.11', 'sophos-av']);
    expect(list.find((r) => r.name === 'google-chrome-stable')).toEqual({
      name: 'google-chrome-stable',
      publisher: 'Google LLC',
      devices: 2,
      versions: 2,
      topVersions: [
        { version: '120.0.6099.71-1', devices: 1 },
        { version: '119.0.6045.105-1', devices: 1 },
      ],
    });
    expect(list.find((r) => r.name === 'curl')).toMatchObject({ devices: 3, versions: 3 });
  });

  it('searches, filters by client, pages, and limits a client-limited caller', async () => {
    expect(rows((await api(t, 'GET', '/inventory/software?q=chrome')).body).map((r) => r.name)).toEqual(['Google Chrome', 'google-chrome-stable']);
    expect(rows((await api(t, 'GET', '/inventory/software?q=google')).body).map((r) => r.name)).toEqual(['Google Chrome', 'google-chrome-stable']);
    expect(rows((await api(t, 'GET', `/inventory/software?clientId=${clientB}`)).body).map((r) => r.name)).toEqual(['curl', 'google-chrome-stable', 'sophos-av']);
    const mine = rows((await api(limited, 'GET', '/inventory/software')).body);
    expect(mine.map((r) => r.name)).toEqual(['7-Zip 23.01 (x64)', 'curl', 'Google Chrome', 'google-chrome-stable', 'python3.11']);
    expect(mine.find((r) => r.name === 'google-chrome-stable')).toMatchObject({ devices: 1, topVersions: [{ version: '119.0.6045.105-1', devices: 1 }] });
    const first = await api(t, 'GET', '/inventory/software?limit=4');
    expect(first.body.items).toHaveLength(4);
    expect(rows((await api(t, 'GET', `/inventory/software?cursor=${first.body.nextCursor}`)).body).map((r) => r.name)).toEqual(['python3.11', 'sophos-av']);
    expect((await api(t, 'GET', '/inventory/software?limit=0')).status).toBe(400);
  });

  it('exports CSV', async () => {
    const res = await api(t, 'GET', '/inventory/software.csv?q=chrome');
    expect(res.status).toBe(200);
    expect((res.body as string).split('\r\n')).toEqual([
      'name,publisher,devices,versions,top versions',
      'Google Chrome,Google LLC,1,1,121.0.6167.85 (1)',
      'google-chrome-stable,Google LLC,2,2,120.0.6099.71-1 (1); 119.0.6045.105-1 (1)',
      '',
    ]);
  });
});

describe('GET /inventory/changes', () => {
  const subjects = (body: { items: { hostname: string; subject: string }[] }) => body.items.map((i) => `${i.hostname}:${i.subject}`);

  it('lists the fleet\'s changes newest first, by client, and only the caller\'s clients', async () => {
    expect(subjects((await ok(t, 'GET', '/inventory/changes')))).toEqual(['bravo-1:sophos-av', 'alpha-1:google-chrome-stable']);
    expect(subjects((await ok(t, 'GET', `/inventory/changes?clientId=${clientB}`)))).toEqual(['bravo-1:sophos-av']);
    expect(subjects((await ok(limited, 'GET', '/inventory/changes')))).toEqual(['alpha-1:google-chrome-stable']);
    expect(subjects((await ok(t, 'GET', '/inventory/changes?kind=software_added')))).toEqual(['bravo-1:sophos-av']);
  });

  it('exports CSV', async () => {
    const res = await api(limited, 'GET', '/inventory/changes.csv');
    expect(res.status).toBe(200);
    const lines = (res.body as string).trimEnd().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^\d{4}-.*Z,alpha-1,software_updated,google-chrome-stable,dpkg,118,119$/);
  });

  it('refuses portal users', async () => {
    const portal = await addUser(t, 'client', [t.clientId]);
    expect((await api(portal, 'GET', '/inventory/changes')).status).toBe(403);
    expect((await api(portal, 'POST', '/inventory/search', { query: { conditions: [{ field: 'no_inventory' }] } })).status).toBe(403);
  });
});

describe('OpenAPI', () => {
  it('documents the inventory, fleet search and saved search routes with their schemas', async () => {
    const doc = (await api(null, 'GET', '/openapi.json')).body as { paths: Record<string, Record<string, { requestBody?: unknown }>> };
    for (const path of [
      '/devices/{id}/inventory',
      '/devices/{id}/software',
      '/devices/{id}/software.csv',
      '/devices/{id}/changes',
      '/devices/{id}/sbom',
      '/inventory/software',
      '/inventory/changes',
      '/inventory/search',
      '/inventory/search.csv',
      '/inventory/software.csv',
      '/inventory/changes.csv',
      '/searches',
      '/searches/{id}',
      '/searches/{id}/results',
    ]) {
      expect(Object.keys(doc.paths), path).toContain(path);
    }
    const body = JSON.stringify(doc.paths['/inventory/search']!.post!.requestBody);
    for (const word of ['warranty_days_left', 'starts_with', 'no_inventory', 'os_eol']) expect(body).toContain(word);
  });
});
