import { and, eq } from 'drizzle-orm';
import { deviceChanges, deviceInventory, deviceSoftware } from '../../../db/inventory-schema';
import { devicePatches, patchScans } from '../../../db/deploy-schema';
import type { Db } from '../../types';

/*
 * A retired device's inventory and patch rows go with it: its software would otherwise still count in
 * fleet-wide figures and licence seats. Statements for the same batch as the revoke.
 */
export function inventoryLeftovers(db: Db, tenantId: string, deviceId: string) {
  return [
    db.delete(deviceSoftware).where(and(eq(deviceSoftware.tenantId, tenantId), eq(deviceSoftware.deviceId, deviceId))),
    db.delete(deviceInventory).where(and(eq(deviceInventory.tenantId, tenantId), eq(deviceInventory.deviceId, deviceId))),
    db.delete(deviceChanges).where(and(eq(deviceChanges.tenantId, tenantId), eq(deviceChanges.deviceId, deviceId))),
    // Its missing updates would otherwise count against its client's compliance.
    db.delete(devicePatches).where(and(eq(devicePatches.tenantId, tenantId), eq(devicePatches.deviceId, deviceId))),
    db.delete(patchScans).where(and(eq(patchScans.tenantId, tenantId), eq(patchScans.deviceId, deviceId))),
  ] as const;
}
