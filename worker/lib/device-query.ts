import { and, asc, desc, eq, or, sql, isNull, type SQL } from 'drizzle-orm';
import * as v from 'valibot';
import { clients, devices, sites } from '../../db/schema';
import type { AuthContext, Db } from '../types';
import { clientFilter } from './roles';
import { decodeCursor, toPage, DEFAULT_LIMIT } from './pagination';
import { matches } from './list-query';
import { DeviceListQuery } from '../../protocol/api/devices';

type Query = v.InferOutput<typeof DeviceListQuery>;

/** Columns every device answer carries (never the token hash). */
export const deviceColumns = {
  id: devices.id,
  clientId: devices.clientId,
  clientName: clients.name,
  siteId: devices.siteId,
  siteName: sites.name,
  hostname: devices.hostname,
  displayName: devices.displayName,
  osPlatform: devices.osPlatform,
  osName: devices.osName,
  osVersion: devices.osVersion,
  kernel: devices.kernel,
  arch: devices.arch,
  agentVersion: devices.agentVersion,
  status: devices.status,
  lastSeenAt: devices.lastSeenAt,
  ipAddresses: devices.ipAddresses,
  enrolledAt: devices.enrolledAt,
  tagsJson: sql<string>`(SELECT json_group_array(tag) FROM device_tags t WHERE t.device_id = ${devices.id})`,
};

type Row = NonNullable<Awaited<ReturnType<ReturnType<typeof selectDevices>['get']>>>;

export function toDevice(row: Row) {
  const { tagsJson, ...rest } = row;
  const tags = (JSON.parse(tagsJson ?? '[]') as (string | null)[]).filter((t): t is string => !!t).sort();
  return { ...rest, ipAddresses: rest.ipAddresses ?? [], tags };
}
export type Device = ReturnType<typeof toDevice>;

const SORTS = {
  hostname: { col: sql`${devices.hostname} COLLATE NOCASE`, key: (r: Row) => r.hostname },
  lastSeenAt: { col: sql`COALESCE(${devices.lastSeenAt}, 0)`, key: (r: Row) => r.lastSeenAt ?? 0 },
  status: { col: sql`${devices.status}`, key: (r: Row) => r.status },
} as const;

/** Scope every device query shares: this tenant, visible clients, not revoked. */
export function deviceScope(auth: AuthContext): SQL {
  return and(eq(devices.tenantId, auth.tenantId), isNull(devices.revokedAt), clientFilter(auth, devices.clientId))!;
}

export function selectDevices(db: Db) {
  return db
    .select(deviceColumns)
    .from(devices)
    .innerJoin(clients, eq(clients.id, devices.clientId))
    .innerJoin(sites, eq(sites.id, devices.siteId));
}

/** The device list's filters (also a job's `filter` target): one condition per filter given. */
export function deviceFilter(
  auth: Pick<AuthContext, 'tenantId'>,
  f: { clientId?: string; siteId?: string; status?: 'online' | 'offline'; tag?: string; groupId?: string; q?: string },
): SQL[] {
  const conds: (SQL | undefined)[] = [];
  if (f.clientId) conds.push(eq(devices.clientId, f.clientId));
  if (f.siteId) conds.push(eq(devices.siteId, f.siteId));
  if (f.status) conds.push(eq(devices.status, f.status));
  if (f.tag) conds.push(sql`EXISTS (SELECT 1 FROM device_tags t WHERE t.device_id = ${devices.id} AND t.tag = ${f.tag})`);
  if (f.groupId) {
    conds.push(
      sql`EXISTS (SELECT 1 FROM device_group_members m WHERE m.device_id = ${devices.id} AND m.group_id = ${f.groupId} AND m.tenant_id = ${auth.tenantId})`,
    );
  }
  if (f.q?.trim()) conds.push(or(matches(f.q.trim(), devices.hostname, devices.displayName, devices.ipAddresses), eq(devices.id, f.q.trim())));
  return conds.filter((c): c is SQL => c !== undefined);
}

export async function listDevices(db: Db, auth: AuthContext, q: Query) {
  const limit = q.limit ?? DEFAULT_LIMIT;
  const descending = q.sort.startsWith('-');
  const sort = SORTS[q.sort.replace('-', '') as keyof typeof SORTS];
  const after = decodeCursor(q.cursor);
  const conds: (SQL | undefined)[] = [deviceScope(auth), ...deviceFilter(auth, q)];
  if (after) {
    const [value, id] = after;
    const op = descending ? sql`<` : sql`>`;
    conds.push(sql`(${sort.col} ${op} ${value} OR (${sort.col} = ${value} AND ${devices.id} ${op} ${String(id)}))`);
  }
  const order = descending ? [desc(sort.col), desc(devices.id)] : [asc(sort.col), asc(devices.id)];
  const rows = await selectDevices(db)
    .where(and(...conds))
    .orderBy(...order)
    .limit(limit + 1);
  const page = toPage(rows, limit, (r) => [sort.key(r), r.id]);
  return { items: page.items.map(toDevice), nextCursor: page.nextCursor };
}
