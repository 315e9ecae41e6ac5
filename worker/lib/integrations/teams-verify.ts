import { b64, timingSafeEqualText, unb64 } from '../crypto';
import { hmacSha256 } from './hmac';

/*
 * Teams outgoing webhooks: `Authorization: HMAC <base64 HMAC-SHA256(base64-decoded token, raw body)>`.
 * Teams signs no timestamp, so replay protection is the route's (activity id + its timestamp).
 */

export async function teamsSignature(outgoingSecret: string, rawBody: string): Promise<string> {
  return b64(await hmacSha256(unb64(outgoingSecret), rawBody));
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
