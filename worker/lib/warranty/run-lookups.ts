import * as v from 'valibot';
import { and, eq, isNotNull, isNull } from 'drizzle-orm';
import { devices } from '../../../db/schema';
import { deviceInventory, warrantyProviders } from '../../../db/inventory-schema';
import type { WarrantyVendor } from '../../../protocol/warranty';
import type { Db } from '../../types';
import type { FetchFn } from './adapter';
import { lookupWithStoredCredentials, warrantyAdapters, type VendorBases } from './registry';
import { normalSerial, storeRecords } from './store';
import { openCredentials, providerRow } from './providers';
import { VENDOR_LABEL } from './batch-lookup';

/*
 * One vendor lookup for one tenant: every device whose inventory names that manufacturer and
 * a serial is asked about, each answer is stored as the device's record from that vendor, and
 * the provider row keeps when it ran and what went wrong. Weekly from the tenant hub, and on
 * demand (POST /warranty-providers/:vendor/run).
 */

export const LOOKUP_EVERY_MS = 7 * 86_400_000;
/** Failures listed in an answer; the count covers the rest. */
const MAX_LISTED_FAILURES = 100;

export const WarrantyRunResult = v.object({
  vendor: v.string(),
  /** Devices with a serial whose manufacturer is this vendor. */
  devices: v.number(),
  /** Devices whose record was written. */
  updated: v.number(),
  failed: v.number(),
  failures: v.array(v.object({ serial: v.string(), reason: v.string() })),
  lastRunAt: v.number(),
  lastError: v.nullable(v.string()),
});
export type WarrantyRunResult = v.InferOutput<typeof WarrantyRunResult>;

export interface LookupOptions {
  masterKey: string;
  fetchFn?: FetchFn;
  bases?: VendorBases;
  now?: number;
}

/** Null when the vendor is not configured for the tenant. */
export async function runVendorLookup(db: Db, tenantId: string, vendor: WarrantyVendor, opts: LookupOptions): Promise<WarrantyRunResult | null> {
  const row = await providerRow(db, tenantId, vendor);
  if (!row) return null;
  const now = opts.now ?? Date.now();
  const adapter = warrantyAdapters(opts.bases).find((a) => a.vendor === vendor)!;
  const candidates = await db
    .select({ deviceId: deviceInventory.deviceId, serial: deviceInventory.serial, manufacturer: deviceInventory.manufacturer })
    .from(deviceInventory)
    .innerJoin(devices, and(eq(devices.id, deviceInventory.deviceId), eq(devices.tenantId, deviceInventory.tenantId)))
    .where(and(eq(deviceInventory.tenantId, tenantId), isNull(devices.revokedAt), isNotNull(deviceInventory.serial), isNotNull(deviceInventory.manufacturer)))
    .all();
  const bySerial = new Map<string, string[]>();
  for (const d of candidates) {
    if (!adapter.matches(d.manufacturer!) || !d.serial!.trim()) continue;
    const key = normalSerial(d.serial!);
    bySerial.set(key, [...(bySerial.get(key) ?? []), d.deviceId]);
  }
  const deviceCount = [...bySerial.values()].reduce((n, ids) => n + ids.length, 0);

  let records: Awaited<ReturnType<typeof lookupWithStoredCredentials>>['records'] = [];
  let failures: { serial: string; reason: string }[] = [];
  let lastError: string | null = null;
  try {
    if (bySerial.size) {
      const creds = await openCredentials(opts.masterKey, row.credentialsEnc);
      ({ records, failures } = await lookupWithStoredCredentials(adapter, [...bySerial.keys()], creds, opts.fetchFn ?? fetch));
    }
  } catch (err) {
    // Only our own side fails here (a key that cannot open the credentials); the vendor's answers never throw.
    console.error('warranty lookup failed', vendor, err instanceof Error ? err.message : 'unknown error');
    lastError = `${VENDOR_LABEL[vendor]} lookup could not start: the stored credentials cannot be read, enter them again`;
  }
  const rows = records.flatMap((record) => (bySerial.get(normalSerial(record.deviceSerial)) ?? []).map((deviceId) => ({ deviceId, record })));
  await storeRecords(db, tenantId, rows, 'system');
  if (!lastError && failures.length) {
    lastError = `${failures.length} of ${bySerial.size} serials failed; first: ${failures[0]!.serial}: ${failures[0]!.reason}`.slice(0, 500);
  }
  await db
    .update(warrantyProviders)
    .set({ lastRunAt: now, lastError })
    .where(and(eq(warrantyProviders.tenantId, tenantId), eq(warrantyProviders.vendor, vendor)));
  return {
    vendor,
    devices: deviceCount,
    updated: rows.length,
    failed: failures.length,
    failures: failures.slice(0, MAX_LISTED_FAILURES),
    lastRunAt: now,
    lastError,
  };
}

/** The tenant's enabled vendors whose last lookup is a week old (or never ran). */
export async function dueVendors(db: Db, tenantId: string, now = Date.now()): Promise<WarrantyVendor[]> {
  const rows = await db
    .select({ vendor: warrantyProviders.vendor, lastRunAt: warrantyProviders.lastRunAt })
    .from(warrantyProviders)
    .where(and(eq(warrantyProviders.tenantId, tenantId), eq(warrantyProviders.enabled, true)))
    .all();
  return rows.filter((r) => r.lastRunAt === null || r.lastRunAt <= now - LOOKUP_EVERY_MS).map((r) => r.vendor as WarrantyVendor);
}
