import * as v from 'valibot';
import type { WarrantyAdapter } from './adapter';
import { lookupInBatches, type BatchAnswer } from './batch-lookup';
import { vendorDate } from './dates';
import { tokenSource } from './token';
import { callVendor } from './vendor-http';

/*
 * HP product warranty API on css.api.hp.com, after the HP developer portal's description as
 * public clients use it (HP's own pages need a portal login): a token from POST /oauth/v1/token
 * (form: apiKey, apiSecret, grantType=client_credentials, scope=warranty), then the direct query
 * POST /productWarranty/v2/queries with [{"sn": ...}], answered per product with `offers`
 * carrying serviceObligationLineItemStartDate/EndDate. Direct queries take a handful of devices
 * (public clients send at most 5); the batch-job endpoints suit thousands, not an on-demand lookup.
 */

export const HP_API = 'https://css.api.hp.com';
export const HP_BATCH = 5;

const nullableText = v.nullish(v.string());
const HpProduct = v.object({
  product: v.nullish(v.object({ serialNumber: nullableText })),
  offers: v.nullish(
    v.array(
      v.object({
        offerDescription: nullableText,
        serviceObligationLineItemStartDate: nullableText,
        serviceObligationLineItemEndDate: nullableText,
      }),
    ),
  ),
});
const HpResponse = v.array(HpProduct);

export function hpAdapter(base = HP_API): WarrantyAdapter<'hp'> {
  return {
    vendor: 'hp',
    // "HP", "HP Inc.", "Hewlett-Packard"; not Hewlett Packard Enterprise, whose servers HP's API does not cover.
    matches: (manufacturer) => /^\s*(hp\b|hewlett[- ]?packard\b)/i.test(manufacturer) && !/enterprise/i.test(manufacturer),
    lookup(serials, creds, fetchFn) {
      const token = tokenSource(fetchFn, 'HP', `${base}/oauth/v1/token`, () => ({
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({ apiKey: creds.apiKey, apiSecret: creds.apiSecret, grantType: 'client_credentials', scope: 'warranty' }).toString(),
      }));
      return lookupInBatches({
        vendor: 'hp',
        serials,
        // HP serials are 10 characters (5CG1234XYZ); a few product lines use 8–14.
        rule: { min: 8, max: 14 },
        batchSize: HP_BATCH,
        async ask(batch) {
          const bearer = await token();
          if (!bearer.ok) return bearer;
          const reply = await callVendor(
            fetchFn,
            'HP',
            `${base}/productWarranty/v2/queries`,
            {
              method: 'POST',
              headers: { authorization: `Bearer ${bearer.body}`, 'content-type': 'application/json', accept: 'application/json' },
              body: JSON.stringify(batch.map((sn) => ({ sn }))),
            },
            HpResponse,
          );
          if (!reply.ok) return reply;
          const answer: BatchAnswer = new Map();
          for (const item of reply.body) {
            const serial = item.product?.serialNumber?.toUpperCase();
            // A product without offers leaves nothing to record: the serial counts as unknown.
            if (!serial || !item.offers?.length) continue;
            const entitlements = item.offers.map((o) => ({
              start: vendorDate(o.serviceObligationLineItemStartDate),
              end: vendorDate(o.serviceObligationLineItemEndDate),
              description: o.offerDescription ?? null,
            }));
            answer.set(serial, [...(answer.get(serial) ?? []), ...entitlements]);
          }
          return { ok: true, body: answer };
        },
      });
    },
  };
}
