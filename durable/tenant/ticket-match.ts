import { and, eq, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { alerts, clients, deviceTags, devices, sites } from '../../db/schema';
import type { TemplateContext } from '../../protocol/templates';
import type { CachedRule } from './ticket-rule-cache';

/* What a rule is matched against and its templates are filled from. */

export interface AlertFacts {
  id: string;
  deviceId: string;
  clientId: string;
  checkKey: string;
  checkName: string;
  checkType: string;
  severity: 'info' | 'warning' | 'critical';
  status: 'open' | 'acknowledged' | 'resolved';
  message: string;
  value: number | null;
  openedAt: number;
  suppressed: boolean;
}

export interface DeviceFacts {
  hostname: string;
  displayName: string | null;
  siteId: string;
  siteName: string | null;
  clientName: string | null;
  tags: string[];
}

type Db = ReturnType<typeof drizzle>;

/** deviceFacts' two reads, for a caller that folds them into its own batch (see toDeviceFacts). */
export function deviceFactQueries(db: Db, tenantId: string, deviceId: string) {
  return [
    db
      // Aliased: both tables call it `name`, and a batch answers rows keyed by column name.
      .select({
        hostname: devices.hostname,
        displayName: devices.displayName,
        siteId: devices.siteId,
        clientId: devices.clientId,
        siteName: sql<string | null>`${sites.name}`.as('site_name'),
        clientName: sql<string | null>`${clients.name}`.as('client_name'),
      })
      .from(devices)
      .leftJoin(sites, and(eq(sites.id, devices.siteId), eq(sites.tenantId, tenantId)))
      .leftJoin(clients, and(eq(clients.id, devices.clientId), eq(clients.tenantId, tenantId)))
      .where(and(eq(devices.id, deviceId), eq(devices.tenantId, tenantId))),
    db.select({ tag: deviceTags.tag }).from(deviceTags).where(and(eq(deviceTags.deviceId, deviceId), eq(deviceTags.tenantId, tenantId))),
  ] as const;
}

type FactRows = readonly [Awaited<ReturnType<typeof deviceFactQueries>[0]>, Awaited<ReturnType<typeof deviceFactQueries>[1]>];

/** The facts from deviceFactQueries' answers, with the client the device belongs to now. */
export function toDeviceFacts([dev, tags]: FactRows): (DeviceFacts & { clientId: string }) | null {
  const d = dev[0];
  return d ? { ...d, tags: tags.map((t) => t.tag) } : null;
}

/** The device as D1 has it now (null: not this tenant's, or gone). */
export async function deviceFacts(d1: D1Database, tenantId: string, deviceId: string): Promise<DeviceFacts | null> {
  const db = drizzle(d1);
  return toDeviceFacts(await db.batch(deviceFactQueries(db, tenantId, deviceId)));
}

/** An alert's record in D1 (a retried step works from it: the hub may have forgotten the alert). */
export async function alertFacts(d1: D1Database, tenantId: string, alertId: string): Promise<AlertFacts | null> {
  const row = await drizzle(d1)
    .select({
      id: alerts.id,
      deviceId: alerts.deviceId,
      clientId: alerts.clientId,
      checkKey: alerts.checkKey,
      checkName: alerts.checkName,
      checkType: alerts.checkType,
      severity: alerts.severity,
      status: alerts.status,
      message: alerts.message,
      value: alerts.value,
      openedAt: alerts.openedAt,
      suppressed: alerts.suppressed,
    })
    .from(alerts)
    .where(and(eq(alerts.id, alertId), eq(alerts.tenantId, tenantId)))
    .get();
  return row ?? null;
}

const allows = <T>(list: readonly T[] | undefined, value: T) => !list || list.length === 0 || list.includes(value);

export function ruleMatches(rule: CachedRule, a: AlertFacts, d: DeviceFacts): boolean {
  const m = rule.match;
  return (
    rule.enabled &&
    allows(m.severities, a.severity) &&
    allows(m.checkTypes as readonly string[] | undefined, a.checkType) &&
    allows(m.clientIds, a.clientId) &&
    allows(m.siteIds, d.siteId) &&
    (!m.tags || m.tags.length === 0 || m.tags.some((t) => d.tags.includes(t)))
  );
}

export const templateContext = (a: AlertFacts, d: DeviceFacts): TemplateContext => ({
  alert: { id: a.id, message: a.message, checkName: a.checkName, severity: a.severity, value: a.value, openedAt: a.openedAt },
  device: { hostname: d.hostname, displayName: d.displayName },
  clientName: d.clientName,
  siteName: d.siteName,
});
