import * as v from 'valibot';
import { b64url as toB64url, timingSafeEqualText, unb64 } from '../crypto';

/*
 * Signed, short-lived links that carry one alert action out of a chat message (Teams cards
 * cannot send clicks back). Token = base64url(JSON payload) + '.' + base64url(HMAC-SHA256),
 * keyed by an HKDF derivation of TETHER_MASTER_KEY so the master key itself signs nothing.
 * The link only names the action: a signed-in user with the right role performs it, once.
 */

export const ACTION_LINK_TTL_MS = 24 * 3600 * 1000;
const enc = new TextEncoder();

const ActionLinkPayload = v.object({
  tenantId: v.pipe(v.string(), v.maxLength(64)),
  alertId: v.pipe(v.string(), v.maxLength(64)),
  action: v.literal('acknowledge'),
  exp: v.number(),
  /** Makes two links for the same alert distinct, so using one does not burn the other. */
  n: v.pipe(v.string(), v.maxLength(32)),
});
export type ActionLinkPayload = v.InferOutput<typeof ActionLinkPayload>;

function fromB64url(text: string): Uint8Array<ArrayBuffer> {
  const s = text.replace(/-/g, '+').replace(/_/g, '/');
  return unb64(s + '='.repeat((4 - (s.length % 4)) % 4));
}

async function linkKey(masterKey: string): Promise<CryptoKey> {
  const ikm = await crypto.subtle.importKey('raw', unb64(masterKey), 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: enc.encode('tether/action-links/v1') },
    ikm,
    { name: 'HMAC', hash: 'SHA-256', length: 256 },
    false,
    ['sign'],
  );
}

async function sign(masterKey: string, body: string): Promise<string> {
  return toB64url(new Uint8Array(await crypto.subtle.sign('HMAC', await linkKey(masterKey), enc.encode(body))));
}

export async function signActionLink(
  masterKey: string,
  link: { tenantId: string; alertId: string; action?: 'acknowledge' },
  now = Date.now(),
  ttlMs = ACTION_LINK_TTL_MS,
): Promise<string> {
  const payload: ActionLinkPayload = {
    tenantId: link.tenantId,
    alertId: link.alertId,
    action: link.action ?? 'acknowledge',
    exp: now + ttlMs,
    n: toB64url(crypto.getRandomValues(new Uint8Array(9))),
  };
  const body = toB64url(enc.encode(JSON.stringify(payload)));
  return `${body}.${await sign(masterKey, body)}`;
}

/** The payload of a genuine, unexpired token; null for anything else (tampered, expired, malformed). */
export async function verifyActionLink(masterKey: string, token: string, now = Date.now()): Promise<ActionLinkPayload | null> {
  const m = /^([A-Za-z0-9_-]{1,1024})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return null;
  if (!timingSafeEqualText(await sign(masterKey, m[1]), m[2])) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(fromB64url(m[1])));
  } catch {
    return null;
  }
  const result = v.safeParse(ActionLinkPayload, parsed);
  if (!result.success || result.output.exp <= now) return null;
  return result.output;
}

/** Where a chat message points: the API's GET, which never acts by itself. */
export function actionLinkUrl(origin: string, token: string): string {
  return `${origin}/api/v1/action-links/${token}`;
}

/** The replay-guard key of a token: its signature is unique per token. */
export const actionLinkGuardKey = (token: string) => `alink:${token.slice(token.lastIndexOf('.') + 1)}`;
