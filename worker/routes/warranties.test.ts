import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { addUser, api, bootstrapTenant, insertDevice, type BootstrappedTenant, type UserFixture } from '../../test/support';
import { auditActions } from '../../test/checks';
import { secondClientAndLimitedUser, type ClientScope } from '../../test/client-scope';
import { hardware, seedInventory } from '../../test/inventory-seed';
import { addDays, todayUtc } from '../lib/warranty/coverage';

let t: BootstrappedTenant;
let other: ClientScope['other'];
let limited: ClientScope['limited'];

beforeAll(async () => {
  t = await bootstrapTenant();
  ({ other, limited } = await secondClientAndLimitedUser(t));
});

const day = (n: number) => addDays(todayUtc(), n);
const uniqSerial = () => `SN${crypto.randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`;

async function deviceWithSerial(where: { clientId: string; siteId: string } = t, fields: Record<string, unknown> = {}) {
  const serial = uniqSerial();
  const id = await insertDevice({ tenantId: t.tenantId, ...where }, fields);
  await seedInventory(t, id, { hardware: hardware({ serial, manufacturer: 'Dell Inc.' }), software: [] });
  return { id, serial };
}

describe('device warranty', () => {
  it('sets, shows and removes the manual record, and keeps asset facts, each change audited', async () => {
    const { id } = await deviceWithSerial();
    const empty = await api(t, 'GET', `/devices/${id}/warranty`);
    expect(empty.body).toEqual({ entries: [], coverageEnd: null, daysLeft: null, asset: { purchaseDate: null, assetTag: null, notes: null } });

    const put = await api(t, 'PUT', `/devices/${id}/warranty`, { vendor: 'Dell', start: day(-700), end: day(29), description: 'ProSupport' });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ coverageEnd: day(29), daysLeft: 29, entries: [{ source: 'manual', vendor: 'Dell', start: day(-700), end: day(29), description: 'ProSupport' }] });
    // A second PUT replaces the manual record rather than adding one.
    await api(t, 'PUT', `/devices/${id}/warranty`, { vendor: 'Dell', end: day(400) });
    const shown = await api(t, 'GET', `/devices/${id}/warranty`);
    expect(shown.body.entries).toHaveLength(1);
    expect(shown.body).toMatchObject({ coverageEnd: day(400), daysLeft: 400, entries: [{ start: null, description: null }] });

    const asset = await api(t, 'PUT', `/devices/${id}/asset`, { purchaseDate: '2023-04-01', assetTag: 'ACME-0042', notes: 'Front desk' });
    expect(asset.status).toBe(200);
    expect(asset.body.asset).toEqual({ purchaseDate: '2023-04-01', assetTag: 'ACME-0042', notes: 'Front desk' });
    // Fields left out keep their value.
    expect((await api(t, 'PUT', `/devices/${id}/asset`, { notes: null })).body.asset).toEqual({ purchaseDate: '2023-04-01', assetTag: 'ACME-0042', notes: null });

    expect((await api(t, 'DELETE', `/devices/${id}/warranty`)).status).toBe(204);
    expect((await api(t, 'GET', `/devices/${id}/warranty`)).body).toMatchObject({ entries: [], coverageEnd: null });
    expect((await api(t, 'DELETE', `/devices/${id}/warranty`)).status).toBe(404);
    expect(await auditActions(id)).toEqual(['warranty.set', 'warranty.set', 'device.asset_update', 'device.asset_update', 'warranty.delete']);
  });

  it('refuses bad dates, a start after the end, readonly users, and devices the caller cannot see', async () => {
    const { id } = await deviceWithSerial();
    const bad = await api(t, 'PUT', `/devices/${id}/warranty`, { vendor: 'Dell', end: '2026-02-30' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues[0]).toMatchObject({ path: 'end' });
    expect((await api(t, 'PUT', `/devices/${id}/warranty`, { vendor: 'Dell', start: '2027-01-02', end: '2027-01-01' })).status).toBe(400);
    expect((await api(t, 'PUT', `/devices/${id}/warranty`, { vendor: '', end: '2027-01-01' })).status).toBe(400);
    expect((await api(t, 'PUT', `/devices/${id}/asset`, { purchaseDate: '01/02/2023' })).status).toBe(400);
    const readonly = await addUser(t, 'readonly');
    expect((await api(readonly, 'GET', `/devices/${id}/warranty`)).status).toBe(200);
    expect((await api(readonly, 'PUT', `/devices/${id}/warranty`, { vendor: 'Dell', end: '2027-01-01' })).status).toBe(403);

    const foreign = await deviceWithSerial(other);
    expect((await api(limited, 'GET', `/devices/${foreign.id}/warranty`)).status).toBe(404);
    expect((await api(limited, 'PUT', `/devices/${foreign.id}/warranty`, { vendor: 'Dell', end: '2027-01-01' })).status).toBe(404);
    expect((await api(limited, 'PUT', `/devices/${foreign.id}/asset`, { assetTag: 'X' })).status).toBe(404);
    expect(await auditActions(foreign.id)).toEqual([]);
  });
});

describe('warranty list', () => {
  it('answers one row per device with its latest end, filtered by state, limited to the caller\'s clients', async () => {
    const tag = `wl-${crypto.randomUUID().slice(0, 6)}`;
    const soon = await deviceWithSerial(t, { hostname: `${tag}-soon` });
    const later = await deviceWithSerial(t, { hostname: `${tag}-later` });
    const gone = await deviceWithSerial(t, { hostname: `${tag}-gone` });
    const none = await deviceWithSerial(t, { hostname: `${tag}-none` });
    const foreign = await deviceWithSerial(other, { hostname: `${tag}-other` });
    await api(t, 'PUT', `/devices/${soon.id}/warranty`, { vendor: 'Dell', end: day(20) });
    await api(t, 'PUT', `/devices/${later.id}/warranty`, { vendor: 'Dell', end: day(200) });
    await api(t, 'PUT', `/devices/${gone.id}/warranty`, { vendor: 'Dell', end: day(-5) });
    await api(t, 'PUT', `/devices/${foreign.id}/warranty`, { vendor: 'Dell', end: day(10) });
    // A CSV record with a later end than the manual one is the device's coverage.
    await env.DB.prepare(`INSERT INTO device_warranties (tenant_id, device_id, source, vendor, start, "end", description, fetched_at, updated_by) VALUES (?, ?, 'csv', 'Dell', NULL, ?, NULL, ?, 'x')`)
      .bind(t.tenantId, gone.id, day(-1), Date.now())
      .run();

    const names = async (who: typeof t | UserFixture, query: string) =>
      ((await api(who, 'GET', `/warranties?q=${tag}${query}`)).body.items as { hostname: string }[]).map((r) => r.hostname.replace(`${tag}-`, ''));
    expect(await names(t, '')).toEqual(['gone', 'later', 'none', 'other', 'soon']);
    expect(await names(t, '&state=expiring&days=30')).toEqual(['other', 'soon']);
    expect(await names(t, '&state=expiring')).toEqual(['other', 'soon']);
    expect(await names(t, '&state=expiring&days=365')).toEqual(['later', 'other', 'soon']);
    expect(await names(t, '&state=covered')).toEqual(['later', 'other', 'soon']);
    expect(await names(t, '&state=expired')).toEqual(['gone']);
    expect(await names(t, '&state=none')).toEqual(['none']);
    expect(await names(t, `&clientId=${other.clientId}`)).toEqual(['other']);
    expect(await names(limited, '')).toEqual(['gone', 'later', 'none', 'soon']);

    const rows = (await api(t, 'GET', `/warranties?q=${tag}&state=expired`)).body.items;
    expect(rows[0]).toMatchObject({ deviceId: gone.id, clientName: expect.any(String), manufacturer: 'Dell Inc.', serial: gone.serial, vendor: 'Dell', source: 'csv', end: day(-1), daysLeft: -1 });

    // Paging walks every row once.
    const first = await api(t, 'GET', `/warranties?q=${tag}&limit=2`);
    const second = await api(t, 'GET', `/warranties?q=${tag}&limit=2&cursor=${first.body.nextCursor}`);
    expect([...first.body.items, ...second.body.items].map((r: { hostname: string }) => r.hostname.replace(`${tag}-`, ''))).toEqual(['gone', 'later', 'none', 'other']);
    expect((await api(t, 'GET', '/warranties?state=soon')).status).toBe(400);
    expect((await api(t, 'GET', '/warranties?days=0')).status).toBe(400);
  });

  it('exports the same rows as formula-safe CSV', async () => {
    const tag = `wc-${crypto.randomUUID().slice(0, 6)}`;
    const evil = await deviceWithSerial(t, { hostname: `${tag}-x`, displayName: `=HYPERLINK("http://evil","${tag}")` });
    await api(t, 'PUT', `/devices/${evil.id}/warranty`, { vendor: '@SUM(A1)', end: day(15) });
    const res = await api(t, 'GET', `/warranties.csv?q=${tag}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const lines = (res.body as string).trimEnd().split('\r\n');
    expect(lines[0]).toBe('device_id,hostname,client,manufacturer,model,serial,vendor,source,end,days_left');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://evil"",""${tag}"")"`);
    expect(lines[1]).toContain(`'@SUM(A1),manual,${day(15)},15`);
    expect((await api(limited, 'GET', `/warranties.csv?q=${tag}&clientId=${other.clientId}`)).body.trimEnd().split('\r\n')).toHaveLength(1);
  });
});

describe('warranty import', () => {
  it('stores matched rows as csv records and reports unmatched serials and bad lines', async () => {
    const a = await deviceWithSerial();
    const b = await deviceWithSerial();
    const foreign = await deviceWithSerial(other);
    const csv = [
      'Serial,Vendor,Start,End,Description',
      `${a.serial.toLowerCase()},Dell,${day(-300)},${day(50)},ProSupport`,
      `${b.serial},Lenovo,,${day(500)},`,
      `NOSUCHSERIAL1,HP,,${day(10)},`,
      `${foreign.serial},Dell,,${day(10)},`,
      `BAD1,Dell,,03/04/2027,`,
    ].join('\n');
    const res = await api(limited, 'POST', '/warranties/import', { csv });
    expect(res.status).toBe(200);
    expect(res.body.imported).toBe(2);
    // The other client's device is out of the limited caller's reach: its serial reads as unknown.
    expect(res.body.unmatched).toEqual(['NOSUCHSERIAL1', foreign.serial]);
    expect(res.body.errors).toEqual([{ line: 6, message: expect.stringContaining('ambiguous day/month order') }]);
    expect((await api(t, 'GET', `/devices/${a.id}/warranty`)).body).toMatchObject({ coverageEnd: day(50), entries: [{ source: 'csv', vendor: 'Dell', description: 'ProSupport' }] });
    expect((await api(t, 'GET', `/devices/${b.id}/warranty`)).body.entries[0]).toMatchObject({ source: 'csv', vendor: 'Lenovo', end: day(500) });
    expect((await api(t, 'GET', `/devices/${foreign.id}/warranty`)).body.entries).toEqual([]);
    const audit = await env.DB.prepare(`SELECT detail FROM audit_log WHERE tenant_id = ? AND action = 'warranty.import' ORDER BY id DESC LIMIT 1`).bind(t.tenantId).first<{ detail: string }>();
    expect(JSON.parse(audit!.detail)).toEqual({ imported: 2, unmatched: 2, errors: 1 });

    // A second import replaces the device's csv record.
    await api(t, 'POST', '/warranties/import', { csv: `serial,vendor,end\n${a.serial},Dell,${day(90)}` });
    expect((await api(t, 'GET', `/devices/${a.id}/warranty`)).body).toMatchObject({ coverageEnd: day(90), entries: [{ source: 'csv', start: null }] });
  });

  it('reports a missing header, and refuses empty bodies and readonly users', async () => {
    const res = await api(t, 'POST', '/warranties/import', { csv: 'a,b\n1,2' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ imported: 0, unmatched: [], errors: [{ line: 1, message: expect.stringContaining('missing: serial, vendor, end') }] });
    expect((await api(t, 'POST', '/warranties/import', { csv: '' })).status).toBe(400);
    expect((await api(t, 'POST', '/warranties/import', {})).status).toBe(400);
    const readonly = await addUser(t, 'readonly');
    expect((await api(readonly, 'POST', '/warranties/import', { csv: 'serial,vendor,end' })).status).toBe(403);
  });

  it('accepts a spreadsheet larger than the API\'s usual JSON limit', async () => {
    const a = await deviceWithSerial();
    const filler = Array.from({ length: 9000 }, (_, i) => `FILL${String(i).padStart(6, '0')},SomeVendorName,,${day(100)},${'x'.repeat(40)}`);
    const csv = ['serial,vendor,start,end,description', `${a.serial},Dell,,${day(70)},`, ...filler].join('\n');
    expect(csv.length).toBeGreaterThan(512 * 1024);
    const res = await api(t, 'POST', '/warranties/import', { csv });
    expect(res.status).toBe(200);
    expect(res.body.imported).toBe(1);
    expect(res.body.unmatched).toHaveLength(9000);
  });
});
