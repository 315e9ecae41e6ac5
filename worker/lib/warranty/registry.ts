import * as v from 'valibot';
import { WARRANTY_CREDENTIALS, type WarrantyVendor } from '../../../protocol/warranty';
import type { AnyWarrantyAdapter, FetchFn, LookupResult } from './adapter';
import { VENDOR_LABEL } from './batch-lookup';
import { dellAdapter } from './dell';
import { hpAdapter } from './hp';
import { lenovoAdapter } from './lenovo';

/*
 * Picks the adapter for a device's manufacturer string. Base URLs default to the vendors' real
 * APIs; tests and local runs point them elsewhere.
 */

export type VendorBases = Partial<Record<WarrantyVendor, string>>;

export function warrantyAdapters(bases: VendorBases = {}): AnyWarrantyAdapter[] {
  return [dellAdapter(bases.dell), hpAdapter(bases.hp), lenovoAdapter(bases.lenovo)];
}

export function adapterFor(manufacturer: string, adapters: AnyWarrantyAdapter[] = warrantyAdapters()): AnyWarrantyAdapter | null {
  return adapters.find((a) => a.matches(manufacturer)) ?? null;
}

/**
 * A lookup with credentials as stored (unknown shape): checked against the vendor's schema
 * first, so a misconfigured tenant gets a reason per serial instead of a call with blanks.
 */
export async function lookupWithStoredCredentials(adapter: AnyWarrantyAdapter, serials: string[], stored: unknown, fetchFn: FetchFn): Promise<LookupResult> {
  const creds = v.safeParse(WARRANTY_CREDENTIALS[adapter.vendor], stored);
  if (!creds.success) return { records: [], failures: serials.map((serial) => ({ serial, reason: `${VENDOR_LABEL[adapter.vendor]} credentials are incomplete` })) };
  // The schema matched the adapter's own vendor, so the credentials fit its lookup.
  return (adapter.lookup as (s: string[], c: unknown, f: FetchFn) => Promise<LookupResult>)(serials, creds.output, fetchFn);
}
