import * as v from 'valibot';
import type { WarrantyAdapter } from './adapter';
import { lookupInBatches, type BatchAnswer } from './batch-lookup';
import { vendorDate } from './dates';
import { callVendor } from './vendor-http';

/*
 * Lenovo support API warranty endpoint (https://supportapi.lenovo.com/Documentation/Warranty.html,
 * v2.5): GET /v2.5/warranty?Serial=A,B,... with the Lenovo-issued key in a `ClientID` header.
 * One serial answers with an object, several with an array; an unknown serial carries a
 * non-zero ErrorCode. The batch size follows public clients of the same endpoint (50).
 */

export const LENOVO_API = 'https://supportapi.lenovo.com';
export const LENOVO_BATCH = 50;

const nullableText = v.nullish(v.string());
const LenovoSerial = v.object({
  Serial: v.string(),
  ErrorCode: v.optional(v.number()),
  ErrorMessage: nullableText,
  Warranty: v.nullish(v.array(v.object({ Name: nullableText, Description: nullableText, Start: nullableText, End: nullableText }))),
});
const LenovoResponse = v.union([v.array(LenovoSerial), LenovoSerial]);

export function lenovoAdapter(base = LENOVO_API): WarrantyAdapter<'lenovo'> {
  return {
    vendor: 'lenovo',
    matches: (manufacturer) => /\blenovo\b/i.test(manufacturer),
    lookup(serials, creds, fetchFn) {
      return lookupInBatches({
        vendor: 'lenovo',
        serials,
        // PC serials are 8 characters (PF0ABC12), older machines 7; system x and others up to 12.
        rule: { min: 7, max: 12 },
        batchSize: LENOVO_BATCH,
        async ask(batch) {
          const url = `${base}/v2.5/warranty?${new URLSearchParams({ Serial: batch.join(',') })}`;
          const reply = await callVendor(fetchFn, 'Lenovo', url, { headers: { ClientID: creds.clientId, accept: 'application/json' } }, LenovoResponse);
          if (!reply.ok) return reply;
          const answer: BatchAnswer = new Map();
          for (const item of Array.isArray(reply.body) ? reply.body : [reply.body]) {
            if (item.ErrorCode) continue;
            const entitlements = (item.Warranty ?? []).map((w) => ({
              start: vendorDate(w.Start),
              end: vendorDate(w.End),
              description: w.Name ?? w.Description ?? null,
            }));
            answer.set(item.Serial.toUpperCase(), entitlements);
          }
          return { ok: true, body: answer };
        },
      });
    },
  };
}
