import { and, eq, sql, type SQL } from 'drizzle-orm';
import type * as v from 'valibot';
import { clients, devices } from '../../../db/schema';
import { deviceInventory } from '../../../db/inventory-schema';
import type { WarrantyListQuery, WarrantyRow } from '../../../protocol/api/warranties';
import type { AuthContext, Db } from '../../types';
import { deviceScope } from '../device-query';
import { afterName, byName, matches } from '../list-query';
import { DEFAULT_LIMIT, toPage, type Page } from '../pagination';
import { addDays, daysLeftOf, todayUtc } from './coverage';

/*
 * One row per device the caller may see: its coverage (the warranty with the latest end) and
 * the inventory facts that identify the hardware. Sorted by name, like the device list.
 */

export type WarrantyQuery = v.InferOutput<typeof WarrantyListQuery>;
export const DEFAULT_EXPIRING_DAYS = 90;

// The device's latest-ending record; the source breaks ties so every column names the same row.
const latest = (column: 'end' | 'vendor' | 'source') =>
  sql<string | null>`(SELECT w.${sql.raw(`"${column}"`)} FROM device_warranties w WHERE w.tenant_id = ${devices.tenantId} AND w.device_id = ${devices.id} ORDER BY w."end" DESC, w.source LIMIT 1)`;
const coverageEnd = latest('end');
const name = sql<string>`coalesce(${devices.displayName}, ${devices.hostname})`;

function stateCondition(q: WarrantyQuery, now: number): SQL | undefined {
  const today = todayUtc(now);
  switch (q.state) {
    case 'covered':
      return sql`${coverageEnd} >= ${today}`;
    case 'expiring':
      return sql`${coverageEnd} BETWEEN ${today} AND ${addDays(today, q.days ?? DEFAULT_EXPIRING_DAYS)}`;
    case 'expired':
      return sql`${coverageEnd} < ${today}`;
    case 'none':
      return sql`${coverageEnd} IS NULL`;
    default:
      return undefined;
  }
}

export async function warrantyPage(db: Db, auth: AuthContext, q: WarrantyQuery, now = Date.now()): Promise<Page<WarrantyRow>> {
  const limit = q.limit ?? DEFAULT_LIMIT;
  const rows = await db
    .select({
      id: devices.id,
      name,
      clientName: clients.name,
      manufacturer: deviceInventory.manufacturer,
      model: deviceInventory.model,
      serial: deviceInventory.serial,
      vendor: latest('vendor'),
      source: latest('source'),
      end: coverageEnd,
    })
    .from(devices)
    .innerJoin(clients, eq(clients.id, devices.clientId))
    .leftJoin(deviceInventory, and(eq(deviceInventory.deviceId, devices.id), eq(deviceInventory.tenantId, devices.tenantId)))
    .where(
      and(
        deviceScope(auth),
        q.clientId ? eq(devices.clientId, q.clientId) : undefined,
        q.q ? matches(q.q, devices.hostname, devices.displayName, deviceInventory.serial, deviceInventory.model) : undefined,
        stateCondition(q, now),
        afterName(q.cursor, name, devices.id),
      ),
    )
    .orderBy(...byName(name, devices.id))
    .limit(limit + 1);
  const page = toPage(rows, limit, (r) => [r.name, r.id]);
  return {
    items: page.items.map(({ id, name: hostname, end, ...r }) => ({ deviceId: id, hostname, ...r, end, daysLeft: daysLeftOf(end, now) })),
    nextCursor: page.nextCursor,
  };
}

export const WARRANTY_CSV_HEADER = ['device_id', 'hostname', 'client', 'manufacturer', 'model', 'serial', 'vendor', 'source', 'end', 'days_left'] as const;

export const warrantyCsvCells = (r: WarrantyRow) => [r.deviceId, r.hostname, r.clientName, r.manufacturer, r.model, r.serial, r.vendor, r.source, r.end, r.daysLeft];
