import { and, desc, eq, gte, lte, sql, type SQL } from 'drizzle-orm';
import { alerts, devices } from '../../db/schema';
import type { Alert } from '../../protocol/api/alerts';
import type { AuthContext, Db } from '../types';
import { clientFilter } from './roles';
import { inIds } from './sql-helpers';

/** Alert columns with the device's current display name (hostname as reported: text only). */
export const alertColumns = {
  id: alerts.id,
  deviceId: alerts.deviceId,
  clientId: alerts.clientId,
  hostname: sql<string | null>`coalesce(${devices.displayName}, ${devices.hostname})`,
  checkKey: alerts.checkKey,
  checkName: alerts.checkName,
  checkType: alerts.checkType,
  severity: alerts.severity,
  status: alerts.status,
  message: alerts.message,
  value: alerts.value,
  openedAt: alerts.openedAt,
  acknowledgedAt: alerts.acknowledgedAt,
  acknowledgedBy: alerts.acknowledgedBy,
  resolvedAt: alerts.resolvedAt,
  resolvedBy: alerts.resolvedBy,
  flapping: alerts.flapping,
  suppressed: alerts.suppressed,
  escalationTier: alerts.escalationTier,
  transitions: alerts.transitions,
  updatedAt: alerts.updatedAt,
};

/** Everything an alert list or lookup is limited to: the tenant and the caller's clients. */
export function alertScope(auth: AuthContext): SQL {
  return and(eq(alerts.tenantId, auth.tenantId), clientFilter(auth, alerts.clientId))!;
}

export function selectAlerts(db: Db) {
  return db.select(alertColumns).from(alerts).leftJoin(devices, eq(devices.id, alerts.deviceId));
}

export async function findAlert(db: Db, auth: AuthContext, id: string): Promise<Alert | undefined> {
  return selectAlerts(db).where(and(alertScope(auth), eq(alerts.id, id))).get();
}

/** Of these ids, those the caller may act on (others are reported as unchanged, like unknown ones). */
export async function visibleAlertIds(db: Db, auth: AuthContext, ids: string[]): Promise<string[]> {
  const rows = await db.select({ id: alerts.id }).from(alerts).where(and(alertScope(auth), inIds(alerts.id, ids))).all();
  return rows.map((r) => r.id);
}

export const openedBetween = (from?: number, to?: number) =>
  and(from === undefined ? undefined : gte(alerts.openedAt, from), to === undefined ? undefined : lte(alerts.openedAt, to));

export const newestFirst = desc(alerts.id);
