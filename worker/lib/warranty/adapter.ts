import type { WarrantyCredentials, WarrantyRecord, WarrantyVendor } from '../../../protocol/warranty';

/*
 * One interface over every vendor's warranty API. A lookup never throws for a vendor's answer:
 * each serial ends up either in `records` or in `failures` with a reason a technician can act on.
 */

export type FetchFn = typeof fetch;

export interface LookupFailure {
  serial: string;
  reason: string;
}

export interface LookupResult {
  records: WarrantyRecord[];
  failures: LookupFailure[];
}

export interface WarrantyAdapter<V extends WarrantyVendor = WarrantyVendor> {
  vendor: V;
  /** Whether a device's reported manufacturer string belongs to this vendor. */
  matches(manufacturer: string): boolean;
  lookup(serials: string[], creds: WarrantyCredentials[V], fetchFn: FetchFn): Promise<LookupResult>;
}

export type AnyWarrantyAdapter = { [V in WarrantyVendor]: WarrantyAdapter<V> }[WarrantyVendor];

/** Splits `items` into runs of at most `size`, keeping their order. */
export function batches<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
