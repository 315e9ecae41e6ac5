import { and, eq } from 'drizzle-orm';
import { devices } from '../../db/schema';
import type { AuthContext, Db } from '../types';
import { notFound } from './errors';
import { deviceScope, selectDevices, toDevice, type Device } from './device-query';

/** A device the caller may see, or the same 404 a missing one gets. */
export async function loadDevice(db: Db, auth: AuthContext, id: string): Promise<Device> {
  const row = await selectDevices(db)
    .where(and(deviceScope(auth), eq(devices.id, id)))
    .get();
  if (!row) throw notFound('device');
  return toDevice(row);
}
