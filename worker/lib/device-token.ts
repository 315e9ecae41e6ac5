import { and, eq, isNull } from 'drizzle-orm';
import { devices } from '../../db/schema';
import type { Db } from '../types';
import { sha256Hex } from './crypto';
import { ApiError } from './errors';

export interface AuthedDevice {
  id: string;
  tenantId: string;
  clientId: string;
}

/**
 * The device an `Authorization: Bearer tdt_…` header names: looked up by the token's hash,
 * refused when the token is missing, unknown or its device retired (401).
 */
export async function deviceFromToken(db: Db, authorization: string | undefined): Promise<AuthedDevice> {
  const m = /^Bearer\s+(tdt_[A-Za-z0-9_-]{20,})$/.exec(authorization ?? '');
  if (!m) throw new ApiError(401, 'unauthorized', 'device token required');
  const device = await db
    .select({ id: devices.id, tenantId: devices.tenantId, clientId: devices.clientId })
    .from(devices)
    .where(and(eq(devices.tokenHash, await sha256Hex(m[1])), isNull(devices.revokedAt)))
    .get();
  if (!device) throw new ApiError(401, 'unauthorized', 'device token is not valid (revoked or unknown device)');
  return device;
}
