import { and, desc, eq, gte, lte } from 'drizzle-orm';
import * as v from 'valibot';
import { deviceChanges } from '../../../db/inventory-schema';
import { devices } from '../../../db/schema';
import type { ChangeRecord, ChangesQuery } from '../../../protocol/api/inventory';
import type { AuthContext, Db } from '../../types';
import { deviceScope } from '../device-query';
import { beforeId, idKey, matches } from '../list-query';
import { DEFAULT_LIMIT, toPage, type Page } from '../pagination';
import { isoTime } from './csv-export';

type Query = v.InferOutput<typeof ChangesQuery>;

/**
 * Inventory changes newest first, of one device or of every device the caller may see
 * (revoked devices' history goes with them). `q` matches the subject and both values.
 */
export async function listChanges(db: Db, auth: AuthContext, q: Query, deviceId?: string, limitCap?: number): Promise<Page<ChangeRecord>> {
  const limit = limitCap ?? q.limit ?? DEFAULT_LIMIT;
  const rows = await db
    .select({
      id: deviceChanges.id,
      deviceId: deviceChanges.deviceId,
      hostname: devices.hostname,
      at: deviceChanges.at,
      kind: deviceChanges.kind,
      subject: deviceChanges.subject,
      source: deviceChanges.source,
      fromValue: deviceChanges.fromValue,
      toValue: deviceChanges.toValue,
    })
    .from(deviceChanges)
    .innerJoin(devices, eq(devices.id, deviceChanges.deviceId))
    .where(
      and(
        eq(deviceChanges.tenantId, auth.tenantId),
        deviceScope(auth),
        deviceId ? eq(deviceChanges.deviceId, deviceId) : undefined,
        q.clientId ? eq(devices.clientId, q.clientId) : undefined,
        q.kind ? eq(deviceChanges.kind, q.kind) : undefined,
        q.from !== undefined ? gte(deviceChanges.at, q.from) : undefined,
        q.to !== undefined ? lte(deviceChanges.at, q.to) : undefined,
        matches(q.q?.trim(), deviceChanges.subject, deviceChanges.fromValue, deviceChanges.toValue),
        beforeId(q.cursor, deviceChanges.id),
      ),
    )
    .orderBy(desc(deviceChanges.id))
    .limit(limit + 1)
    .all();
  return toPage(rows, limit, idKey);
}

export const CHANGE_CSV_HEADER = ['at', 'hostname', 'kind', 'subject', 'source', 'from', 'to'];

export const changeCsvCells = (r: ChangeRecord) => [isoTime(r.at), r.hostname, r.kind, r.subject, r.source, r.fromValue, r.toValue];
