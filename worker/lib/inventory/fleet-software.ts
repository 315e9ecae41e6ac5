import { and, asc, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import * as v from 'valibot';
import { deviceSoftware as s } from '../../../db/inventory-schema';
import { devices } from '../../../db/schema';
import type { FleetSoftwareQuery, FleetSoftwareRow } from '../../../protocol/api/inventory';
import type { AuthContext, Db } from '../../types';
import { badRequest } from '../errors';
import { deviceScope } from '../device-query';
import { matches } from '../list-query';
import { decodeCursor, DEFAULT_LIMIT, toPage, type Page } from '../pagination';
import { inIds } from '../sql-helpers';

type Query = v.InferOutput<typeof FleetSoftwareQuery>;

const TOP_VERSIONS = 5;

/*
 * The fleet's software by name (case-insensitive: one row per name_norm). The walk is driven
 * by the (tenant_id, name_norm, version_key) index in name order, so grouping needs no sort
 * and a page stops after its last name; the devices the caller may see are one uncorrelated
 * id list (`device_id IN (…)`), read once. `q` matches the name, which the index holds.
 */
export async function listFleetSoftware(db: Db, auth: AuthContext, q: Query, limitCap?: number): Promise<Page<FleetSoftwareRow>> {
  const limit = limitCap ?? q.limit ?? DEFAULT_LIMIT;
  const after = decodeCursor(q.cursor);
  if (after && typeof after[0] !== 'string') throw badRequest('invalid cursor', [{ path: 'cursor', message: 'not a cursor this API issued' }]);
  const visibleDevices = db
    .select({ id: devices.id })
    .from(devices)
    .where(and(deviceScope(auth), q.clientId ? eq(devices.clientId, q.clientId) : undefined));
  const visible = and(eq(s.tenantId, auth.tenantId), inArray(s.deviceId, visibleDevices));
  const groups = await db
    .select({
      nameNorm: s.nameNorm,
      name: sql<string>`MAX(${s.name})`,
      publisher: sql<string | null>`MAX(${s.publisher})`,
      devices: sql<number>`COUNT(DISTINCT ${s.deviceId})`,
      // Versions that sort the same ("1.0" and "1.00") are one version.
      versions: sql<number>`COUNT(DISTINCT ${s.versionKey})`,
    })
    .from(s)
    .where(and(visible, matches(q.q?.trim().toLowerCase(), s.nameNorm), after ? gt(s.nameNorm, after[0] as string) : undefined))
    .groupBy(s.nameNorm)
    .orderBy(asc(s.nameNorm))
    .limit(limit + 1)
    .all();
  const page = toPage(groups, limit, (g) => [g.nameNorm]);
  if (!page.items.length) return { items: [], nextCursor: page.nextCursor };
  const versionRows = await db
    .select({ nameNorm: s.nameNorm, version: sql<string>`MAX(${s.version})`, devices: sql<number>`COUNT(DISTINCT ${s.deviceId})` })
    .from(s)
    .where(and(visible, inIds(s.nameNorm, page.items.map((g) => g.nameNorm))))
    .groupBy(s.nameNorm, s.versionKey)
    .orderBy(asc(s.nameNorm), desc(s.versionKey))
    .all();
  const top = new Map<string, { version: string; devices: number }[]>();
  for (const r of versionRows) {
    const list = top.get(r.nameNorm) ?? [];
    if (list.length < TOP_VERSIONS) list.push({ version: r.version, devices: r.devices });
    top.set(r.nameNorm, list);
  }
  return {
    items: page.items.map(({ nameNorm, ...g }) => ({ ...g, topVersions: top.get(nameNorm) ?? [] })),
    nextCursor: page.nextCursor,
  };
}
