/*
 * HMAC-SHA256 on WebCrypto, shared by the inbound verifiers (Slack, Teams) and the outgoing
 * webhook signatures. Kept apart so each verifier states only its own message format.
 */

const enc = new TextEncoder();

export async function hmacSha256(key: Uint8Array<ArrayBuffer> | string, message: string): Promise<Uint8Array<ArrayBuffer>> {
  const raw = typeof key === 'string' ? enc.encode(key) : key;
  const k = await crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', k, enc.encode(message)));
}
