import { b64, timingSafeEqualText, unb64 } from '../crypto';

/*
 * Teams outgoing webhooks: `Authorization: HMAC <base64 HMAC-SHA256(base64-decoded token, raw body)>`.
 * Teams signs no timestamp, so replay protection is the route's (activity id + its timestamp).
 */

const enc = new TextEncoder();

export async function teamsSignature(outgoingSecret: string, rawBody: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', unb64(outgoingSecret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return b64(await crypto.subtle.sign('HMAC', key, enc.encode(rawBody)));
}

/** True only for `HMAC <base64>` matching the body; a secret that is not base64 verifies nothing. */
export async function verifyTeamsRequest(outgoingSecret: string, authorization: string | undefined, rawBody: string): Promise<boolean> {
  const m = /^HMAC ([A-Za-z0-9+/=]{1,200})$/.exec(authorization ?? '');
  if (!m) return false;
  let expected: string;
  try {
    expected = await teamsSignature(outgoingSecret, rawBody);
  } catch {
    return false;
  }
  return timingSafeEqualText(expected, m[1]);
}
