import { and, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import { devices } from '../../../db/schema';
import { deviceInventory, deviceWarranties } from '../../../db/inventory-schema';
import type { WarrantyRecord } from '../../../protocol/warranty';
import type { AuthContext, Db } from '../../types';
import { inIds } from '../sql-helpers';

/*
 * Serial → devices, and writing records for them. Serials are compared upper-cased without
 * surrounding blanks (vendors and spreadsheets differ in case); one serial may name several
 * devices (a reinstalled machine enrolled twice), and each gets the record.
 */

export const normalSerial = (serial: string) => serial.trim().toUpperCase();

/** Devices (not retired, within `auth`'s clients when given) whose inventory reports one of `serials`. */
export async function devicesBySerial(db: Db, tenantId: string, serials: string[], auth?: Pick<AuthContext, 'clientIds'>): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>();
  const want = [...new Set(serials.map(normalSerial))];
  for (let i = 0; i < want.length; i += 500) {
    const rows = await db
      .select({ deviceId: devices.id, serial: deviceInventory.serial })
      .from(deviceInventory)
      .innerJoin(devices, and(eq(devices.id, deviceInventory.deviceId), eq(devices.tenantId, deviceInventory.tenantId)))
      .where(
        and(
          eq(deviceInventory.tenantId, tenantId),
          isNull(devices.revokedAt),
          isNotNull(deviceInventory.serial),
          auth?.clientIds ? inIds(devices.clientId, auth.clientIds) : undefined,
          sql`upper(trim(${deviceInventory.serial})) IN (SELECT value FROM json_each(${JSON.stringify(want.slice(i, i + 500))}))`,
        ),
      )
      .all();
    for (const r of rows) {
      const key = normalSerial(r.serial!);
      found.set(key, [...(found.get(key) ?? []), r.deviceId]);
    }
  }
  return found;
}

/** The statement that upserts a device's record from `record.source`. */
export function upsertRecord(db: Db, tenantId: string, deviceId: string, r: Omit<WarrantyRecord, 'deviceSerial'>, updatedBy: string) {
  const set = { vendor: r.vendor, start: r.start, end: r.end, description: r.description, fetchedAt: r.fetchedAt, updatedBy };
  return db
    .insert(deviceWarranties)
    .values({ tenantId, deviceId, source: r.source, ...set })
    .onConflictDoUpdate({ target: [deviceWarranties.deviceId, deviceWarranties.source], set, setWhere: eq(deviceWarranties.tenantId, tenantId) });
}

/** Upserts one record per (device, source), in batches D1 accepts. */
export async function storeRecords(db: Db, tenantId: string, rows: { deviceId: string; record: WarrantyRecord }[], updatedBy: string): Promise<void> {
  const statements = rows.map(({ deviceId, record }) => upsertRecord(db, tenantId, deviceId, record, updatedBy));
  for (let i = 0; i < statements.length; i += 50) {
    const chunk = statements.slice(i, i + 50);
    if (chunk.length) await db.batch(chunk as [(typeof chunk)[number], ...typeof chunk]);
  }
}
