import { and, countDistinct, eq, gte, isNull, max, sql, type SQL } from 'drizzle-orm';
import { clients, devices } from '../../../db/schema';
import { deviceSoftware } from '../../../db/inventory-schema';
import { versionKey } from '../../../protocol/inventory';
import type { LicenceCompliance, LicenceMatch } from '../../../protocol/api/licences';
import type { Db } from '../../types';
import { inIds } from '../sql-helpers';

/*
 * Which devices use a seat: devices of the licence's client (every client's when the licence
 * is tenant-wide) with an installed item matching the licence. A device counts once however
 * many matching items it has (an app and its updater, two architectures).
 */

export interface LicenceScope {
  clientId: string | null;
  match: LicenceMatch;
}

const likePattern = (text: string) => `%${text.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;

/** Conditions on device_software for the licence's match. */
export function softwareMatch(match: LicenceMatch): SQL {
  const name = match.exact ? eq(deviceSoftware.nameNorm, match.name.toLowerCase()) : sql`${deviceSoftware.nameNorm} LIKE ${likePattern(match.name)} ESCAPE '\\'`;
  return and(
    name,
    match.publisher ? sql`lower(${deviceSoftware.publisher}) LIKE ${likePattern(match.publisher)} ESCAPE '\\'` : undefined,
    match.minVersion ? gte(deviceSoftware.versionKey, versionKey(match.minVersion)) : undefined,
  )!;
}

/** Matching software rows of live devices in the licence's scope (and, when given, the caller's clients). */
function seatRows(tenantId: string, licence: LicenceScope, visibleClientIds?: string[] | null): SQL {
  return and(
    eq(deviceSoftware.tenantId, tenantId),
    isNull(devices.revokedAt),
    licence.clientId ? eq(devices.clientId, licence.clientId) : undefined,
    visibleClientIds ? inIds(devices.clientId, visibleClientIds) : undefined,
    softwareMatch(licence.match),
  )!;
}

const deviceJoin = and(eq(devices.id, deviceSoftware.deviceId), eq(devices.tenantId, deviceSoftware.tenantId));

export function compliance(installed: number, seats: number): LicenceCompliance {
  const overDeployed = Math.max(0, installed - seats);
  const unusedSeats = Math.max(0, seats - installed);
  return { installed, seats, overDeployed, unusedSeats, status: overDeployed ? 'over_deployed' : unusedSeats ? 'unused_seats' : 'compliant' };
}

/** Devices using a seat, per licence id (one statement per licence, sent in one batch). */
export async function installedCounts(db: Db, tenantId: string, licences: (LicenceScope & { id: string })[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (!licences.length) return out;
  const statements = licences.map((l) =>
    db
      .select({ n: countDistinct(deviceSoftware.deviceId) })
      .from(deviceSoftware)
      .innerJoin(devices, deviceJoin)
      .where(seatRows(tenantId, l)),
  );
  const results = await db.batch(statements as [(typeof statements)[number], ...typeof statements]);
  licences.forEach((l, i) => out.set(l.id, results[i]?.[0]?.n ?? 0));
  return out;
}

/** Ids of the devices using a seat, per licence id: the devices an expiry alert is raised on (one batch). */
export async function seatDeviceIds(db: Db, tenantId: string, licences: (LicenceScope & { id: string })[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (!licences.length) return out;
  const statements = licences.map((l) =>
    db.selectDistinct({ deviceId: deviceSoftware.deviceId }).from(deviceSoftware).innerJoin(devices, deviceJoin).where(seatRows(tenantId, l)),
  );
  const results = await db.batch(statements as [(typeof statements)[number], ...typeof statements]);
  licences.forEach((l, i) => out.set(l.id, (results[i] ?? []).map((r) => r.deviceId)));
  return out;
}

/** A page of the devices using a seat, by hostname, with the matching software (highest version). */
export async function seatDevices(db: Db, tenantId: string, licence: LicenceScope, visibleClientIds: string[] | null, after: string | undefined, limit: number) {
  const name = sql<string>`coalesce(${devices.displayName}, ${devices.hostname})`;
  return db
    .select({
      deviceId: devices.id,
      hostname: name,
      clientId: devices.clientId,
      clientName: clients.name,
      // With one max() in the select, SQLite takes these bare columns from the row holding the maximum.
      topVersionKey: max(deviceSoftware.versionKey),
      software: sql<string>`${deviceSoftware.name}`,
      version: sql<string>`${deviceSoftware.version}`,
    })
    .from(deviceSoftware)
    .innerJoin(devices, deviceJoin)
    .innerJoin(clients, eq(clients.id, devices.clientId))
    .where(and(seatRows(tenantId, licence, visibleClientIds), after ? sql`${devices.id} > ${after}` : undefined))
    .groupBy(devices.id)
    .orderBy(devices.id)
    .limit(limit + 1)
    .all();
}
