import * as v from 'valibot';
import { callVendor, type VendorReply } from './vendor-http';
import type { FetchFn } from './adapter';

/*
 * OAuth2 client-credentials tokens, fetched on first use and reused for their lifetime within
 * one lookup. Nothing outlives the lookup: credentials may change between runs.
 */

const TokenResponse = v.object({
  access_token: v.pipe(v.string(), v.minLength(1)),
  // Some gateways send expires_in as a string.
  expires_in: v.optional(v.pipe(v.union([v.number(), v.pipe(v.string(), v.regex(/^\d+$/))]), v.transform(Number))),
});

/** Refreshed this long before the vendor's expiry, so a token never lapses mid-request. */
const EARLY_MS = 30_000;
const DEFAULT_LIFETIME_S = 300;

export function tokenSource(fetchFn: FetchFn, vendorName: string, url: string, init: () => RequestInit): () => Promise<VendorReply<string>> {
  let cached: { token: string; expiresAt: number } | null = null;
  return async () => {
    if (cached && Date.now() < cached.expiresAt) return { ok: true, body: cached.token };
    const reply = await callVendor(fetchFn, `${vendorName} token endpoint`, url, { method: 'POST', ...init() }, TokenResponse);
    // Without a token no serial can be asked about.
    if (!reply.ok) return { ...reply, stop: true };
    const lifetime = (reply.body.expires_in ?? DEFAULT_LIFETIME_S) * 1000;
    cached = { token: reply.body.access_token, expiresAt: Date.now() + Math.max(0, lifetime - EARLY_MS) };
    return { ok: true, body: cached.token };
  };
}
