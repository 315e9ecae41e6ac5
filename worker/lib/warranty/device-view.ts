import { and, desc, eq } from 'drizzle-orm';
import { deviceAssets, deviceWarranties } from '../../../db/inventory-schema';
import type { DeviceWarrantyView, WarrantyEntry } from '../../../protocol/api/warranties';
import type { WarrantySource } from '../../../protocol/warranty';
import type { Db } from '../../types';
import { daysLeftOf } from './coverage';

/** A device's warranty records (latest end first), its coverage, and the technician's asset facts. */
export async function deviceWarrantyView(db: Db, tenantId: string, deviceId: string, now = Date.now()): Promise<DeviceWarrantyView> {
  const [entries, assets] = await db.batch([
    db
      .select({
        source: deviceWarranties.source,
        vendor: deviceWarranties.vendor,
        start: deviceWarranties.start,
        end: deviceWarranties.end,
        description: deviceWarranties.description,
        fetchedAt: deviceWarranties.fetchedAt,
      })
      .from(deviceWarranties)
      .where(and(eq(deviceWarranties.tenantId, tenantId), eq(deviceWarranties.deviceId, deviceId)))
      .orderBy(desc(deviceWarranties.end), deviceWarranties.source),
    db
      .select({ purchaseDate: deviceAssets.purchaseDate, assetTag: deviceAssets.assetTag, notes: deviceAssets.notes })
      .from(deviceAssets)
      .where(and(eq(deviceAssets.tenantId, tenantId), eq(deviceAssets.deviceId, deviceId))),
  ]);
  const coverageEnd = entries[0]?.end ?? null;
  return {
    entries: entries.map((e): WarrantyEntry => ({ ...e, source: e.source as WarrantySource })),
    coverageEnd,
    daysLeft: daysLeftOf(coverageEnd, now),
    asset: assets[0] ?? { purchaseDate: null, assetTag: null, notes: null },
  };
}
