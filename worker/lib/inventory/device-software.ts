import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import * as v from 'valibot';
import { deviceSoftware } from '../../../db/inventory-schema';
import type { InstalledSoftware, SoftwareListQuery } from '../../../protocol/api/inventory';
import type { Db } from '../../types';
import { badRequest } from '../errors';
import { matches } from '../list-query';
import { decodeCursor, DEFAULT_LIMIT, toPage, type Page } from '../pagination';

type Query = v.InferOutput<typeof SoftwareListQuery>;

export const softwareColumns = {
  key: deviceSoftware.key,
  name: deviceSoftware.name,
  version: deviceSoftware.version,
  publisher: deviceSoftware.publisher,
  installedAt: deviceSoftware.installedAt,
  sizeBytes: deviceSoftware.sizeBytes,
  source: deviceSoftware.source,
  arch: deviceSoftware.arch,
  firstSeenAt: deviceSoftware.firstSeenAt,
};

// Unknown dates and sizes sort first ascending (as 0), so a cursor always holds a number.
const SORTS = {
  name: { col: sql`${deviceSoftware.name} COLLATE NOCASE`, key: (r: InstalledSoftware) => r.name },
  installedAt: { col: sql`COALESCE(${deviceSoftware.installedAt}, 0)`, key: (r: InstalledSoftware) => r.installedAt ?? 0 },
  sizeBytes: { col: sql`COALESCE(${deviceSoftware.sizeBytes}, 0)`, key: (r: InstalledSoftware) => r.sizeBytes ?? 0 },
} as const;

function afterCursor(cursor: string | undefined, col: SQL, descending: boolean): SQL | undefined {
  const key = decodeCursor(cursor);
  if (!key) return undefined;
  const [value, last] = key;
  if ((typeof value !== 'string' && typeof value !== 'number') || typeof last !== 'string') {
    throw badRequest('invalid cursor', [{ path: 'cursor', message: 'not a cursor this API issued' }]);
  }
  const op = descending ? sql`<` : sql`>`;
  return sql`(${col} ${op} ${value} OR (${col} = ${value} AND ${deviceSoftware.key} ${op} ${last}))`;
}

/** One page of a device's installed software (the caller has checked the device is visible). */
export async function listDeviceSoftware(db: Db, tenantId: string, deviceId: string, q: Query, limitCap?: number): Promise<Page<InstalledSoftware>> {
  const limit = limitCap ?? q.limit ?? DEFAULT_LIMIT;
  const descending = q.sort.startsWith('-');
  const sort = SORTS[q.sort.replace('-', '') as keyof typeof SORTS];
  const rows = await db
    .select(softwareColumns)
    .from(deviceSoftware)
    .where(
      and(
        eq(deviceSoftware.tenantId, tenantId),
        eq(deviceSoftware.deviceId, deviceId),
        q.source ? eq(deviceSoftware.source, q.source) : undefined,
        matches(q.q?.trim(), deviceSoftware.name, deviceSoftware.publisher),
        afterCursor(q.cursor, sort.col, descending),
      ),
    )
    .orderBy(...(descending ? [desc(sort.col), desc(deviceSoftware.key)] : [asc(sort.col), asc(deviceSoftware.key)]))
    .limit(limit + 1)
    .all();
  return toPage(rows, limit, (r) => [sort.key(r), r.key]);
}
