import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { createTenantDirect, insertDevice, type DirectTenant } from '../../../test/support';
import { answerWith, receivedAt, receiverTarget } from '../../../test/receiver-client';
import { hardware, seedInventory } from '../../../test/inventory-seed';
import { warrantyProviders } from '../../../db/inventory-schema';
import { getDb } from '../db';
import { sealCredentials } from './providers';
import { dueVendors, LOOKUP_EVERY_MS, runVendorLookup } from './run-lookups';

// Lenovo's API stands on the local receiver: the tenant's lookup is pointed at it.
const db = () => getDb(env);

const lenovoAnswer = (serial: string, end: string) => ({
  Serial: serial, ErrorCode: 0, ErrorMessage: '', Product: '20XWCTO1WW', InWarranty: true, Purchased: '2023-01-10T00:00:00Z',
  Shipped: '2023-01-09T00:00:00Z', Country: 'US', UpgradeUrl: '', Contract: [],
  Warranty: [{ ID: '5WS', Name: 'Base Warranty', Description: '3 Years Depot', Type: 'BASE', Start: '2023-01-09T00:00:00Z', End: `${end}T00:00:00Z` }],
});
const unknownAnswer = (serial: string) => ({
  Serial: serial, ErrorCode: 100, ErrorMessage: 'Invalid serial number', Product: '', InWarranty: false,
  Purchased: null, Shipped: null, Country: '', UpgradeUrl: '', Warranty: [], Contract: [],
});

const serial = () => `PF${crypto.randomUUID().replace(/-/g, '').slice(0, 6).toUpperCase()}`;

async function deviceMadeBy(t: DirectTenant, manufacturer: string, fields: Record<string, unknown> = {}) {
  const s = serial();
  const id = await insertDevice(t, fields);
  await seedInventory(t, id, { hardware: hardware({ manufacturer, serial: s.toLowerCase() }), software: [] });
  return { id, serial: s };
}

async function configure(t: DirectTenant, creds: unknown, lastRunAt: number | null = null) {
  await db()
    .insert(warrantyProviders)
    .values({ tenantId: t.tenantId, vendor: 'lenovo', credentialsEnc: await sealCredentials(env.TETHER_MASTER_KEY, creds), lastRunAt, updatedAt: Date.now(), updatedBy: t.userId });
}

const records = (tenantId: string) =>
  env.DB.prepare(`SELECT device_id AS deviceId, source, vendor, start, "end" AS endDate FROM device_warranties WHERE tenant_id = ? ORDER BY device_id`)
    .bind(tenantId)
    .all()
    .then((r) => r.results);

describe('vendor warranty lookups', () => {
  it('asks the vendor about its own devices with a serial and stores what it says', async () => {
    const t = await createTenantDirect();
    const a = await deviceMadeBy(t, 'LENOVO');
    const b = await deviceMadeBy(t, 'Lenovo Group Limited');
    const missing = await deviceMadeBy(t, 'LENOVO');
    await deviceMadeBy(t, 'Dell Inc.');
    await deviceMadeBy(t, 'LENOVO', { revokedAt: Date.now() });
    await configure(t, { clientId: 'tenant-lenovo-id' });
    const target = receiverTarget('lenovo-run');
    const path = `${target.path}/v2.5/warranty`;
    await answerWith(path, [], 200, JSON.stringify([lenovoAnswer(a.serial, '2027-01-15'), lenovoAnswer(b.serial, '2026-06-30'), unknownAnswer(missing.serial)]));

    const now = Date.now();
    const urls: string[] = [];
    const fetchFn: typeof fetch = (input, init) => {
      urls.push(String(input));
      return fetch(input, init);
    };
    const result = await runVendorLookup(db(), t.tenantId, 'lenovo', { masterKey: env.TETHER_MASTER_KEY, bases: { lenovo: target.url }, now, fetchFn });

    const [req, ...more] = await receivedAt(path);
    expect(more).toEqual([]);
    expect(req!.headers.clientid).toBe('tenant-lenovo-id');
    expect(urls).toHaveLength(1);
    const asked = new URL(urls[0]!).searchParams.get('Serial')!.split(',').sort();
    expect(asked).toEqual([a.serial, b.serial, missing.serial].sort());
    expect(result).toMatchObject({ vendor: 'lenovo', devices: 3, updated: 2, failed: 1, lastRunAt: now });
    expect(result!.failures).toEqual([{ serial: missing.serial, reason: 'unknown serial: Lenovo has no record of it' }]);
    expect(result!.lastError).toContain(`1 of 3 serials failed; first: ${missing.serial}`);
    expect(await records(t.tenantId)).toEqual(
      [
        { deviceId: a.id, source: 'lenovo', vendor: 'Lenovo', start: '2023-01-09', endDate: '2027-01-15' },
        { deviceId: b.id, source: 'lenovo', vendor: 'Lenovo', start: '2023-01-09', endDate: '2026-06-30' },
      ].sort((x, y) => x.deviceId.localeCompare(y.deviceId)),
    );
    const row = await env.DB.prepare('SELECT last_run_at AS lastRunAt, last_error AS lastError FROM warranty_providers WHERE tenant_id = ?').bind(t.tenantId).first();
    expect(row).toEqual({ lastRunAt: now, lastError: result!.lastError });
  });

  it('records refused credentials as the last error and stores nothing', async () => {
    const t = await createTenantDirect();
    await deviceMadeBy(t, 'LENOVO');
    await configure(t, { clientId: 'revoked-id' });
    const target = receiverTarget('lenovo-401');
    await answerWith(`${target.path}/v2.5/warranty`, [], 401, '{"message":"unauthorized"}');
    const result = await runVendorLookup(db(), t.tenantId, 'lenovo', { masterKey: env.TETHER_MASTER_KEY, bases: { lenovo: target.url } });
    expect(result).toMatchObject({ devices: 1, updated: 0, failed: 1 });
    expect(result!.lastError).toContain('Lenovo refused the credentials (HTTP 401)');
    expect(await records(t.tenantId)).toEqual([]);
  });

  it('answers null for a vendor the tenant has not configured, and lists the weekly lookups due', async () => {
    const t = await createTenantDirect();
    expect(await runVendorLookup(db(), t.tenantId, 'dell', { masterKey: env.TETHER_MASTER_KEY })).toBeNull();
    const now = Date.now();
    expect(await dueVendors(db(), t.tenantId, now)).toEqual([]);
    await configure(t, { clientId: 'x' }, now - LOOKUP_EVERY_MS + 60_000);
    expect(await dueVendors(db(), t.tenantId, now)).toEqual([]);
    expect(await dueVendors(db(), t.tenantId, now + 60_000)).toEqual(['lenovo']);
  });
});
