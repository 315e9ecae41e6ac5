import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { alerts, clients, devices, tenants } from '../../../db/schema';
import { deviceAssets, deviceInventory, deviceWarranties } from '../../../db/inventory-schema';
import type { AuthContext, Db } from '../../types';
import { deviceScope } from '../device-query';
import { notFound } from '../errors';
import type { DiskFact, LifecycleInput, VolumeFact } from './components';
import { DAY_MS } from './dates';

/*
 * What the score needs, for every device in view, in one query: the inventory's disks and
 * volumes are cut down to the few fields judged (json_each in SQL, so a fleet's hardware
 * documents never travel), warranties and alerts are folded into per-device subqueries.
 */

export interface DeviceFacts extends LifecycleInput {
  deviceId: string;
  hostname: string;
  clientId: string;
  clientName: string;
  manufacturer: string | null;
  model: string | null;
}

/** Alerts that speak of an unstable machine rather than of a threshold someone set. */
const STABILITY_CHECKS = sql`('offline', 'event_log')`;

const disksJson = sql<string>`(SELECT json_group_array(json_object(
    'device', json_extract(d.value, '$.device'), 'model', json_extract(d.value, '$.model'), 'smart', json_extract(d.value, '$.smart')))
  FROM json_each(${deviceInventory.hardware}, '$.disks') d)`;

const volumesJson = sql<string>`(SELECT json_group_array(json_object(
    'mount', json_extract(v.value, '$.mount'), 'fs', json_extract(v.value, '$.fs'),
    'sizeBytes', json_extract(v.value, '$.sizeBytes'), 'usedBytes', json_extract(v.value, '$.usedBytes')))
  FROM json_each(${deviceInventory.hardware}, '$.volumes') v)`;

const ofDevice = (table: { tenantId: SQLiteColumn; deviceId: SQLiteColumn }) =>
  sql`${table.tenantId} = ${devices.tenantId} AND ${table.deviceId} = ${devices.id}`;

/** The devices `where` picks among those the caller may see, with their lifecycle inputs. */
export async function loadFacts(db: Db, auth: AuthContext, now: number, where?: SQL): Promise<DeviceFacts[]> {
  const recent = now - 30 * DAY_MS;
  // Alerts raised inside a maintenance window (a planned reboot) say nothing about health.
  const recentAlerts = sql`${ofDevice(alerts)} AND ${alerts.openedAt} >= ${recent} AND ${alerts.suppressed} = 0`;
  const rows = await db
    .select({
      deviceId: devices.id,
      hostname: devices.hostname,
      clientId: devices.clientId,
      clientName: clients.name,
      osPlatform: devices.osPlatform,
      osName: devices.osName,
      osVersion: devices.osVersion,
      inventoryOs: deviceInventory.os,
      manufacturer: deviceInventory.manufacturer,
      model: deviceInventory.model,
      firmwareDate: deviceInventory.firmwareDate,
      disks: disksJson,
      volumes: volumesJson,
      purchaseDate: deviceAssets.purchaseDate,
      warrantyStart: sql<string | null>`(SELECT min(${deviceWarranties.start}) FROM ${deviceWarranties} WHERE ${ofDevice(deviceWarranties)})`,
      warrantyEnd: sql<string | null>`(SELECT max(${deviceWarranties.end}) FROM ${deviceWarranties} WHERE ${ofDevice(deviceWarranties)})`,
      stabilityAlerts: sql<number>`(SELECT count(*) FROM ${alerts} WHERE ${recentAlerts} AND ${alerts.checkType} IN ${STABILITY_CHECKS})`.mapWith(Number),
      alerts: sql<number>`(SELECT count(*) FROM ${alerts} WHERE ${recentAlerts})`.mapWith(Number),
    })
    .from(devices)
    .innerJoin(clients, eq(clients.id, devices.clientId))
    .leftJoin(deviceInventory, and(eq(deviceInventory.deviceId, devices.id), eq(deviceInventory.tenantId, devices.tenantId)))
    .leftJoin(deviceAssets, and(eq(deviceAssets.deviceId, devices.id), eq(deviceAssets.tenantId, devices.tenantId)))
    .where(and(deviceScope(auth), where))
    .all();
  return rows.map((r) => ({
    deviceId: r.deviceId,
    hostname: r.hostname,
    clientId: r.clientId,
    clientName: r.clientName,
    manufacturer: r.manufacturer,
    model: r.model,
    hardware: r.inventoryOs ? { disks: JSON.parse(r.disks ?? '[]') as DiskFact[], volumes: JSON.parse(r.volumes ?? '[]') as VolumeFact[] } : null,
    // The inventory's OS facts are richer (Windows build); the hello frame's stand in until one arrives.
    os: r.inventoryOs ?? { platform: r.osPlatform, name: r.osName, version: r.osVersion, build: null },
    stabilityAlerts: r.stabilityAlerts,
    alerts: r.alerts,
    warrantyEnd: r.warrantyEnd,
    warrantyStart: r.warrantyStart,
    purchaseDate: r.purchaseDate,
    firmwareDate: r.firmwareDate,
  }));
}

/** The tenant's replacement age in years. */
export async function replaceAfterYears(db: Db, tenantId: string): Promise<number> {
  const row = await db.select({ years: tenants.replaceAfterYears }).from(tenants).where(eq(tenants.id, tenantId)).get();
  if (!row) throw notFound('tenant');
  return row.years;
}
