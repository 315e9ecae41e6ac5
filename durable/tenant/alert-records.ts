import { and, eq, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { alertEvents, alerts, deviceGroupMembers, devices } from '../../db/schema';
import type { ActiveAlert } from './active-alerts';

/*
 * D1 is the record of alerts and their history; the hub writes a row and its event in one
 * batch, so a retried transition rewrites the same row and adds nothing twice (event ids
 * are derived from the alert and the transition time).
 */

export interface AlertEventInput {
  kind: string;
  at: number;
  actorId?: string | null;
  detail?: Record<string, unknown>;
}

const eventId = (alertId: string, e: AlertEventInput) => `${alertId}:${e.kind}:${e.at}`;

function row(tenantId: string, a: ActiveAlert): typeof alerts.$inferInsert {
  return {
    id: a.id,
    tenantId,
    deviceId: a.deviceId,
    clientId: a.clientId,
    checkKey: a.checkKey,
    checkName: a.checkName,
    checkType: a.checkType,
    severity: a.severity,
    status: a.status,
    message: a.message,
    value: a.value,
    openedAt: a.openedAt,
    acknowledgedAt: a.acknowledgedAt,
    acknowledgedBy: a.acknowledgedBy,
    resolvedAt: a.resolvedAt,
    resolvedBy: a.resolvedBy,
    flapping: a.flapping,
    suppressed: a.suppressed,
    escalationPolicyId: a.escalationPolicyId,
    escalationTier: a.escalationTier,
    transitions: a.transitions,
    updatedAt: a.updatedAt,
  };
}

export async function saveAlert(d1: D1Database, tenantId: string, a: ActiveAlert, events: AlertEventInput[]): Promise<void> {
  const db = drizzle(d1);
  const r = row(tenantId, a);
  const { id: _id, tenantId: _t, ...update } = r;
  await db.batch([
    db.insert(alerts).values(r).onConflictDoUpdate({ target: alerts.id, set: update }),
    ...events.map((e) =>
      db
        .insert(alertEvents)
        .values({ id: eventId(a.id, e), tenantId, alertId: a.id, at: e.at, kind: e.kind, actorId: e.actorId ?? null, detail: e.detail ?? null })
        .onConflictDoNothing(),
    ),
  ]);
}

export interface DeviceScope {
  clientId: string;
  siteId: string;
  hostname: string;
  displayName: string | null;
  groupIds: string[];
}

/** The device's place in the tenant, for maintenance windows and feed scoping. */
export async function deviceScope(d1: D1Database, tenantId: string, deviceId: string): Promise<DeviceScope | null> {
  const db = drizzle(d1);
  const [dev, groups] = await db.batch([
    db
      .select({ clientId: devices.clientId, siteId: devices.siteId, hostname: devices.hostname, displayName: devices.displayName })
      .from(devices)
      .where(and(eq(devices.id, deviceId), eq(devices.tenantId, tenantId))),
    db
      .select({ groupId: deviceGroupMembers.groupId })
      .from(deviceGroupMembers)
      .where(and(eq(deviceGroupMembers.deviceId, deviceId), eq(deviceGroupMembers.tenantId, tenantId))),
  ]);
  const d = dev[0];
  return d ? { ...d, groupIds: groups.map((g) => g.groupId) } : null;
}

/** Counts for the fleet overview. */
export async function openCounts(d1: D1Database, tenantId: string) {
  return drizzle(d1)
    .select({ status: alerts.status, severity: alerts.severity, n: sql<number>`count(*)`.mapWith(Number) })
    .from(alerts)
    .where(and(eq(alerts.tenantId, tenantId), sql`${alerts.status} != 'resolved'`))
    .groupBy(alerts.status, alerts.severity)
    .all();
}
