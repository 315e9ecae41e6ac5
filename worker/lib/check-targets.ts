import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { checkSetAssignments, clients, deviceGroups, devices, sites, type ScopeType } from '../../db/schema';
import type { AuthContext, Db } from '../types';
import { forbidden, notFound } from './errors';
import { clientFilter } from './roles';
import { deviceScope } from './device-query';

/*
 * Scopes (tenant, client, site, group, tag, device) as targets of check-set assignments
 * and maintenance windows: which devices a scope covers, whether it exists, and which
 * callers may see or change configuration aimed at it.
 */

/** Live (not retired) devices of the tenant. */
const liveDevices = (tenantId: string): SQL => and(eq(devices.tenantId, tenantId), isNull(devices.revokedAt))!;

/** The condition "device row `devices` is covered by scope (type, id)". */
export function deviceInScope(tenantId: string, scopeType: ScopeType, scopeId: string | null): SQL {
  switch (scopeType) {
    case 'tenant':
      return sql`1 = 1`;
    case 'client':
      return eq(devices.clientId, scopeId ?? '');
    case 'site':
      return eq(devices.siteId, scopeId ?? '');
    case 'device':
      return eq(devices.id, scopeId ?? '');
    case 'group':
      return sql`EXISTS (SELECT 1 FROM device_group_members m WHERE m.device_id = ${devices.id} AND m.group_id = ${scopeId} AND m.tenant_id = ${tenantId})`;
    case 'tag':
      return sql`EXISTS (SELECT 1 FROM device_tags t WHERE t.device_id = ${devices.id} AND t.tag = ${scopeId} AND t.tenant_id = ${tenantId})`;
  }
}

/** Ids of the live devices a scope covers. */
export async function devicesInScope(db: Db, tenantId: string, scopeType: ScopeType, scopeId: string | null): Promise<string[]> {
  const rows = await db
    .select({ id: devices.id })
    .from(devices)
    .where(and(liveDevices(tenantId), deviceInScope(tenantId, scopeType, scopeId)))
    .all();
  return rows.map((r) => r.id);
}

/** Ids of the live devices any assignment of a check set covers. */
export async function devicesOfCheckSet(db: Db, tenantId: string, checkSetId: string): Promise<string[]> {
  const rows = await db
    .select({ id: devices.id })
    .from(devices)
    .where(
      and(
        liveDevices(tenantId),
        sql`EXISTS (SELECT 1 FROM check_set_assignments a WHERE a.tenant_id = ${tenantId} AND a.check_set_id = ${checkSetId} AND (
          a.scope_type = 'tenant'
          OR (a.scope_type = 'client' AND a.scope_id = ${devices.clientId})
          OR (a.scope_type = 'site' AND a.scope_id = ${devices.siteId})
          OR (a.scope_type = 'device' AND a.scope_id = ${devices.id})
          OR (a.scope_type = 'group' AND EXISTS (SELECT 1 FROM device_group_members m WHERE m.device_id = ${devices.id} AND m.group_id = a.scope_id AND m.tenant_id = a.tenant_id))
          OR (a.scope_type = 'tag' AND EXISTS (SELECT 1 FROM device_tags t WHERE t.device_id = ${devices.id} AND t.tag = a.scope_id AND t.tenant_id = a.tenant_id))
        ))`,
      ),
    )
    .all();
  return rows.map((r) => r.id);
}

/**
 * Scopes that reach past a client: a caller limited to some clients may not aim
 * configuration at them (a check set there could run scripts on other clients' devices).
 */
export const CROSS_CLIENT_SCOPES: readonly ScopeType[] = ['tenant', 'group', 'tag'];

/** Refuses tenant-wide configuration changes to a caller limited to some clients. */
export function requireAllClients(auth: AuthContext, what: string): void {
  if (auth.clientIds !== null) throw forbidden(`${what} applies across clients: requires a caller not limited to clients`);
}

/**
 * Checks that a scope exists in the tenant and that the caller may aim configuration at it.
 * A missing, foreign or hidden client, site, group or device answers 404; a cross-client
 * scope for a client-limited caller answers 403. A tag needs no row.
 */
export async function assertScopeTarget(db: Db, auth: AuthContext, scopeType: ScopeType, scopeId: string | null): Promise<void> {
  if (CROSS_CLIENT_SCOPES.includes(scopeType)) requireAllClients(auth, `a ${scopeType} scope`);
  const id = scopeId ?? '';
  let found: unknown;
  switch (scopeType) {
    case 'tenant':
    case 'tag':
      return;
    case 'client':
      found = await db
        .select({ id: clients.id })
        .from(clients)
        .where(and(eq(clients.tenantId, auth.tenantId), eq(clients.id, id), clientFilter(auth, clients.id)))
        .get();
      break;
    case 'site':
      found = await db
        .select({ id: sites.id })
        .from(sites)
        .where(and(eq(sites.tenantId, auth.tenantId), eq(sites.id, id), clientFilter(auth, sites.clientId)))
        .get();
      break;
    case 'group':
      found = await db
        .select({ id: deviceGroups.id })
        .from(deviceGroups)
        .where(and(eq(deviceGroups.tenantId, auth.tenantId), eq(deviceGroups.id, id)))
        .get();
      break;
    case 'device':
      found = await db
        .select({ id: devices.id })
        .from(devices)
        .where(and(deviceScope(auth), eq(devices.id, id)))
        .get();
      break;
  }
  if (!found) throw notFound(scopeType);
}

/**
 * The condition "the scope in (typeCol, idCol) is visible to the caller": everything for an
 * unlimited caller; for a client-limited one, cross-client scopes (they reach its devices
 * too) and the client, site and device scopes of its own clients.
 */
export function scopeVisible(auth: AuthContext, typeCol: SQL, idCol: SQL): SQL | undefined {
  if (auth.clientIds === null) return undefined;
  const ids = JSON.stringify(auth.clientIds);
  const mine = sql`(SELECT value FROM json_each(${ids}))`;
  return sql`(${typeCol} IN ('tenant', 'group', 'tag')
    OR (${typeCol} = 'client' AND ${idCol} IN ${mine})
    OR (${typeCol} = 'site' AND EXISTS (SELECT 1 FROM sites s WHERE s.id = ${idCol} AND s.tenant_id = ${auth.tenantId} AND s.client_id IN ${mine}))
    OR (${typeCol} = 'device' AND EXISTS (SELECT 1 FROM devices d WHERE d.id = ${idCol} AND d.tenant_id = ${auth.tenantId} AND d.client_id IN ${mine})))`;
}

/** The display name of a scope: client, site, group or device name; the tag itself; null for the tenant. */
export function scopeNameSql(tenantId: SQL, typeCol: SQL, idCol: SQL): SQL<string | null> {
  return sql<string | null>`CASE ${typeCol}
    WHEN 'client' THEN (SELECT c.name FROM clients c WHERE c.id = ${idCol} AND c.tenant_id = ${tenantId})
    WHEN 'site' THEN (SELECT s.name FROM sites s WHERE s.id = ${idCol} AND s.tenant_id = ${tenantId})
    WHEN 'group' THEN (SELECT g.name FROM device_groups g WHERE g.id = ${idCol} AND g.tenant_id = ${tenantId})
    WHEN 'device' THEN (SELECT COALESCE(d.display_name, d.hostname) FROM devices d WHERE d.id = ${idCol} AND d.tenant_id = ${tenantId})
    WHEN 'tag' THEN ${idCol}
    ELSE NULL END`;
}

/** Assignments of the tenant aimed at one scope (scope_id IS NULL for the tenant scope). */
export function assignmentAt(tenantId: string, checkSetId: string, scopeType: ScopeType, scopeId: string | null): SQL {
  return and(
    eq(checkSetAssignments.tenantId, tenantId),
    eq(checkSetAssignments.checkSetId, checkSetId),
    eq(checkSetAssignments.scopeType, scopeType),
    scopeId === null ? isNull(checkSetAssignments.scopeId) : eq(checkSetAssignments.scopeId, scopeId),
  )!;
}
