import { and, eq } from 'drizzle-orm';
import { warrantyProviders } from '../../../db/inventory-schema';
import type { WarrantyProviderView } from '../../../protocol/api/warranties';
import { WARRANTY_VENDORS, type WarrantyVendor } from '../../../protocol/warranty';
import type { Db } from '../../types';
import { openText, sealText } from '../crypto';

/*
 * A tenant's vendor credentials, sealed under the master key. Nothing here ever returns them
 * to a caller: views say only whether a vendor is configured.
 */

export type ProviderRow = typeof warrantyProviders.$inferSelect;

export const providerView = (vendor: WarrantyVendor, row: ProviderRow | undefined): WarrantyProviderView => ({
  vendor,
  configured: row !== undefined,
  enabled: row?.enabled ?? false,
  lastRunAt: row?.lastRunAt ?? null,
  lastError: row?.lastError ?? null,
});

export async function providerViews(db: Db, tenantId: string): Promise<WarrantyProviderView[]> {
  const rows = await db.select().from(warrantyProviders).where(eq(warrantyProviders.tenantId, tenantId)).all();
  return WARRANTY_VENDORS.map((vendor) => providerView(vendor, rows.find((r) => r.vendor === vendor)));
}

export function providerRow(db: Db, tenantId: string, vendor: WarrantyVendor): Promise<ProviderRow | undefined> {
  return db
    .select()
    .from(warrantyProviders)
    .where(and(eq(warrantyProviders.tenantId, tenantId), eq(warrantyProviders.vendor, vendor)))
    .get();
}

export const sealCredentials = (masterKey: string, creds: unknown) => sealText(masterKey, JSON.stringify(creds));

export async function openCredentials(masterKey: string, sealed: string): Promise<unknown> {
  return JSON.parse(await openText(masterKey, sealed));
}
