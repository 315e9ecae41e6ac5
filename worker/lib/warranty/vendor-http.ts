import * as v from 'valibot';
import type { FetchFn } from './adapter';

/*
 * One call to a vendor API, turned into either a parsed body or a reason. Bodies are
 * valibot-checked: a vendor changing its shape yields "malformed response", never a throw.
 * `stop` marks answers that make further calls in the same lookup pointless (bad
 * credentials, rate limiting).
 */

export const VENDOR_TIMEOUT_MS = 10_000;

export type VendorReply<T> = { ok: true; body: T } | { ok: false; reason: string; stop: boolean };

export async function callVendor<S extends v.GenericSchema>(
  fetchFn: FetchFn,
  vendorName: string,
  url: string,
  init: RequestInit,
  schema: S,
): Promise<VendorReply<v.InferOutput<S>>> {
  let res: Response;
  try {
    res = await fetchFn(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(VENDOR_TIMEOUT_MS) });
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
    return { ok: false, reason: timedOut ? `${vendorName} did not answer within ${VENDOR_TIMEOUT_MS / 1000} s` : `${vendorName} could not be reached`, stop: false };
  }
  const text = await res.text().catch(() => '');
  if (res.status === 401 || res.status === 403) {
    return { ok: false, reason: `${vendorName} refused the credentials (HTTP ${res.status})`, stop: true };
  }
  if (res.status === 429) {
    const after = retryAfterSeconds(res.headers.get('retry-after'));
    const wait = after === null ? 'later' : `in ${after} s`;
    return { ok: false, reason: `${vendorName} rate limit reached (HTTP 429): retry ${wait}`, stop: true };
  }
  if (res.status >= 500) return { ok: false, reason: `${vendorName} failed (HTTP ${res.status})`, stop: false };
  if (res.status !== 200) return { ok: false, reason: `${vendorName} answered HTTP ${res.status}`, stop: false };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: `${vendorName} sent a malformed response (not JSON)`, stop: false };
  }
  const parsed = v.safeParse(schema, json);
  if (!parsed.success) {
    // A union reports its own issue; the first branch's inner issue says where the body went wrong.
    let issue: v.BaseIssue<unknown> = parsed.issues[0];
    while (issue.issues?.[0]) issue = issue.issues[0];
    const where = issue.path?.map((p) => String(p.key)).join('.') || 'body';
    return { ok: false, reason: `${vendorName} sent a malformed response (${where})`, stop: false };
  }
  return { ok: true, body: parsed.output };
}

/** Retry-After as seconds: either delay-seconds or an HTTP date. */
export function retryAfterSeconds(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}
