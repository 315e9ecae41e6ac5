import type { WarrantyRecord, WarrantyVendor } from '../../../protocol/warranty';
import { batches, type LookupFailure, type LookupResult } from './adapter';
import { coverageSpan, type Coverage } from './dates';
import type { SerialRule } from './serials';
import { checkSerials } from './serials';
import type { VendorReply } from './vendor-http';

/*
 * The loop every vendor shares: validate serials, ask in batches, and file each serial as a
 * record or a failure. A failed batch fails only its own serials unless the vendor said to stop
 * (bad credentials, rate limit), in which case every serial not yet asked about fails with it.
 */

export const VENDOR_LABEL: Record<WarrantyVendor, string> = { dell: 'Dell', hp: 'HP', lenovo: 'Lenovo' };

/** What a vendor said about one batch: entitlements per serial it knows. */
export type BatchAnswer = Map<string, Coverage[]>;

export async function lookupInBatches(opts: {
  vendor: WarrantyVendor;
  serials: string[];
  rule: SerialRule;
  batchSize: number;
  ask: (batch: string[]) => Promise<VendorReply<BatchAnswer>>;
}): Promise<LookupResult> {
  const { valid, failures } = checkSerials(opts.serials, opts.rule);
  const records: WarrantyRecord[] = [];
  const failAll = (serials: string[], reason: string) => failures.push(...serials.map((serial): LookupFailure => ({ serial, reason })));
  if (valid.length === 0) return { records, failures };
  const runs = batches(valid, opts.batchSize);
  for (let i = 0; i < runs.length; i++) {
    const batch = runs[i]!;
    const reply = await opts.ask(batch);
    if (!reply.ok) {
      failAll(reply.stop ? runs.slice(i).flat() : batch, reply.reason);
      if (reply.stop) break;
      continue;
    }
    const fetchedAt = Date.now();
    for (const serial of batch) {
      const entitlements = reply.body.get(serial);
      if (!entitlements) {
        failures.push({ serial, reason: `unknown serial: ${VENDOR_LABEL[opts.vendor]} has no record of it` });
        continue;
      }
      const span = coverageSpan(entitlements);
      if (!span) {
        failures.push({ serial, reason: `${VENDOR_LABEL[opts.vendor]} lists no warranty dates for it` });
        continue;
      }
      records.push({ deviceSerial: serial, vendor: VENDOR_LABEL[opts.vendor], ...span, source: opts.vendor, fetchedAt });
    }
  }
  return { records, failures };
}
