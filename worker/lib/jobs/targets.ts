import { and, asc, eq, or, sql, type SQL } from 'drizzle-orm';
import { clients, deviceGroups, devices, sites } from '../../../db/schema';
import type { JobTarget } from '../../../protocol/api/jobs';
import type { AuthContext, Db } from '../../types';
import { deviceScope } from '../device-query';
import { filterCondition } from './device-filter';
import { badRequest, notFound } from '../errors';
import { clientFilter } from '../roles';
import { inIds } from '../sql-helpers';
import { loadSavedSearches } from '../inventory/saved-searches';
import { fleetSearchConditions } from '../inventory/fleet-search-run';

export interface TargetDevice {
  id: string;
  hostname: string;
  clientId: string;
  online: boolean;
}

const hasTag = (tags: readonly string[]) =>
  sql`EXISTS (SELECT 1 FROM device_tags t WHERE t.device_id = ${devices.id} AND t.tag IN (SELECT value FROM json_each(${JSON.stringify(tags)})))`;

const inGroups = (auth: AuthContext, groupIds: readonly string[]) =>
  sql`EXISTS (SELECT 1 FROM device_group_members m WHERE m.device_id = ${devices.id} AND m.tenant_id = ${auth.tenantId} AND m.group_id IN (SELECT value FROM json_each(${JSON.stringify(groupIds)})))`;

/* Named groups, sites and clients must exist and be visible, like every id the API takes. */
async function assertNamed(db: Db, auth: AuthContext, target: JobTarget): Promise<void> {
  if (!target.groupIds.length && !target.siteIds.length && !target.clientIds.length) return;
  const [groups, siteRows, clientRows] = await db.batch([
    db
      .select({ id: deviceGroups.id })
      .from(deviceGroups)
      .where(and(eq(deviceGroups.tenantId, auth.tenantId), inIds(deviceGroups.id, target.groupIds))),
    db
      .select({ id: sites.id })
      .from(sites)
      .where(and(eq(sites.tenantId, auth.tenantId), inIds(sites.id, target.siteIds), clientFilter(auth, sites.clientId))),
    db
      .select({ id: clients.id })
      .from(clients)
      .where(and(eq(clients.tenantId, auth.tenantId), inIds(clients.id, target.clientIds), clientFilter(auth, clients.id))),
  ]);
  if (groups.length < new Set(target.groupIds).size) throw notFound('group');
  if (siteRows.length < new Set(target.siteIds).size) throw notFound('site');
  if (clientRows.length < new Set(target.clientIds).size) throw notFound('client');
}

/**
 * Every device the target names that the caller may see, by hostname. Named devices,
 * groups, sites and clients that are missing or not visible answer 404, as elsewhere.
 */
export async function resolveTarget(db: Db, auth: AuthContext, target: JobTarget): Promise<TargetDevice[]> {
  await assertNamed(db, auth, target);
  const any: SQL[] = [];
  if (target.all) any.push(sql`1 = 1`);
  if (target.deviceIds.length) any.push(inIds(devices.id, target.deviceIds));
  if (target.groupIds.length) any.push(inGroups(auth, target.groupIds));
  if (target.siteIds.length) any.push(inIds(devices.siteId, target.siteIds));
  if (target.clientIds.length) any.push(inIds(devices.clientId, target.clientIds));
  if (target.tags.length) any.push(hasTag(target.tags));
  if (target.filter) any.push(filterCondition(auth, target.filter));
  // A saved search names the devices it finds now, for the job's creator.
  const searches = await loadSavedSearches(db, auth.tenantId, target.searchIds);
  any.push(...(await fleetSearchConditions(db, auth, searches.map((s) => s.query))));
  const rows = await db
    .select({ id: devices.id, hostname: devices.hostname, clientId: devices.clientId, status: devices.status })
    .from(devices)
    .where(and(deviceScope(auth), or(...any)))
    .orderBy(asc(sql`${devices.hostname} COLLATE NOCASE`), asc(devices.id))
    .all();
  if (target.deviceIds.length) {
    const found = new Set(rows.map((r) => r.id));
    if (target.deviceIds.some((id) => !found.has(id))) throw notFound('device');
  }
  return rows.map((r) => ({ id: r.id, hostname: r.hostname, clientId: r.clientId, online: r.status === 'online' }));
}

/** Resolves and refuses a target that names nobody. */
export async function resolveNonEmpty(db: Db, auth: AuthContext, target: JobTarget): Promise<TargetDevice[]> {
  const list = await resolveTarget(db, auth, target);
  if (list.length === 0) throw badRequest('the target names no devices', [{ path: 'target', message: 'the target names no devices' }]);
  return list;
}
