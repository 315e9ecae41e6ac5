import * as v from 'valibot';
import type { WarrantyAdapter } from './adapter';
import { lookupInBatches, type BatchAnswer } from './batch-lookup';
import { vendorDate } from './dates';
import { tokenSource } from './token';
import { callVendor } from './vendor-http';

/*
 * Dell TechDirect warranty API ("asset-entitlements" v5), as described on Dell's TechDirect API
 * portal: an OAuth2 client-credentials token from /auth/oauth/v2/token, then
 * GET /PROD/sbil/eapi/v5/asset-entitlements?servicetags=A,B,... (at most 100 tags a call)
 * with the bearer token. Unknown tags come back flagged `invalid`.
 */

export const DELL_API = 'https://apigtwb2c.us.dell.com';
export const DELL_BATCH = 100;
/** Dell's entitlement days run midnight to midnight US Central (05:00Z to 04:59:59Z in summer). */
const DELL_DAYS_IN = 'America/Chicago';

const nullableText = v.nullish(v.string());
const DellAsset = v.object({
  serviceTag: v.string(),
  invalid: v.optional(v.boolean()),
  entitlements: v.nullish(
    v.array(v.object({ startDate: nullableText, endDate: nullableText, serviceLevelDescription: nullableText })),
  ),
});
const DellResponse = v.array(DellAsset);

export function dellAdapter(base = DELL_API): WarrantyAdapter<'dell'> {
  return {
    vendor: 'dell',
    matches: (manufacturer) => /\bdell\b/i.test(manufacturer),
    lookup(serials, creds, fetchFn) {
      const token = tokenSource(fetchFn, 'Dell', `${base}/auth/oauth/v2/token`, () => ({
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: creds.clientId, client_secret: creds.clientSecret }).toString(),
      }));
      return lookupInBatches({
        vendor: 'dell',
        serials,
        // Service tags are 7 characters; machines before 2000 or so carry 5.
        rule: { min: 5, max: 7 },
        batchSize: DELL_BATCH,
        async ask(batch) {
          const bearer = await token();
          if (!bearer.ok) return bearer;
          const url = `${base}/PROD/sbil/eapi/v5/asset-entitlements?${new URLSearchParams({ servicetags: batch.join(',') })}`;
          const reply = await callVendor(fetchFn, 'Dell', url, { headers: { authorization: `Bearer ${bearer.body}`, accept: 'application/json' } }, DellResponse);
          if (!reply.ok) return reply;
          const answer: BatchAnswer = new Map();
          for (const asset of reply.body) {
            if (asset.invalid) continue;
            const entitlements = (asset.entitlements ?? []).map((e) => ({
              start: vendorDate(e.startDate, DELL_DAYS_IN),
              end: vendorDate(e.endDate, DELL_DAYS_IN),
              description: e.serviceLevelDescription ?? null,
            }));
            answer.set(asset.serviceTag.toUpperCase(), [...(answer.get(asset.serviceTag.toUpperCase()) ?? []), ...entitlements]);
          }
          return { ok: true, body: answer };
        },
      });
    },
  };
}
