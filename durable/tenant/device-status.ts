import { and, eq, isNull, lte, or } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { devices } from '../../db/schema';
import type { DeviceChange } from '../../protocol/live';
import type { DeviceStatusEvent } from '../contracts';

/**
 * Applies a DeviceHub's status transition to the D1 row, unless the row already holds a
 * newer one (events from one hub can overtake each other). Returns what changed, with the
 * device's client for feed scoping, or null when the event was stale or the device unknown.
 */
export async function applyDeviceStatus(db: D1Database, tenantId: string, evt: DeviceStatusEvent): Promise<DeviceChange | null> {
  const set: Partial<typeof devices.$inferInsert> = { status: evt.status, statusChangedAt: evt.at };
  if (evt.lastSeenAt !== null) set.lastSeenAt = evt.lastSeenAt;
  if (evt.hostname !== undefined) set.hostname = evt.hostname;
  if (evt.agentVersion !== undefined) set.agentVersion = evt.agentVersion;
  if (evt.ipAddresses !== undefined) set.ipAddresses = evt.ipAddresses;
  if (evt.os) {
    set.osPlatform = evt.os.platform;
    set.osName = evt.os.distro;
    set.osVersion = evt.os.release;
    set.kernel = evt.os.kernel;
    set.arch = evt.os.arch;
  }
  const rows = await drizzle(db)
    .update(devices)
    .set(set)
    .where(
      and(
        eq(devices.id, evt.deviceId),
        eq(devices.tenantId, tenantId),
        or(isNull(devices.statusChangedAt), lte(devices.statusChangedAt, evt.at)),
      ),
    )
    .returning({
      id: devices.id,
      clientId: devices.clientId,
      status: devices.status,
      lastSeenAt: devices.lastSeenAt,
      hostname: devices.hostname,
      agentVersion: devices.agentVersion,
      ipAddresses: devices.ipAddresses,
    });
  const row = rows[0];
  if (!row) return null;
  return {
    id: row.id,
    clientId: row.clientId,
    status: row.status,
    lastSeenAt: row.lastSeenAt,
    hostname: row.hostname,
    agentVersion: row.agentVersion,
    ipAddresses: row.ipAddresses ?? [],
  };
}

export async function deviceClientId(db: D1Database, tenantId: string, deviceId: string): Promise<string | null> {
  const row = await drizzle(db)
    .select({ clientId: devices.clientId })
    .from(devices)
    .where(and(eq(devices.id, deviceId), eq(devices.tenantId, tenantId)))
    .get();
  return row?.clientId ?? null;
}
