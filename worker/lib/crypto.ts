// Hashing, secrets and keys, all on WebCrypto. No secret is ever stored in clear.

const enc = new TextEncoder();

export function b64(bytes: ArrayBuffer | Uint8Array): string {
  const u8 = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let s = '';
  for (let i = 0; i < u8.length; i++) s += String.fromCharCode(u8[i]);
  return btoa(s);
}

export function unb64(text: string): Uint8Array<ArrayBuffer> {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

export function b64url(bytes: Uint8Array): string {
  return b64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function hex(bytes: ArrayBuffer | Uint8Array): string {
  const u8 = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  return Array.from(u8, (b) => b.toString(16).padStart(2, '0')).join('');
}

export async function sha256Hex(text: string): Promise<string> {
  return hex(await crypto.subtle.digest('SHA-256', enc.encode(text)));
}

/** A high-entropy secret with a readable prefix, e.g. `tdt_…` for device tokens. */
export function randomSecret(prefix: string, bytes = 32): string {
  return `${prefix}_${b64url(crypto.getRandomValues(new Uint8Array(bytes)))}`;
}

export function timingSafeEqualText(a: string, b: string): boolean {
  const ab = enc.encode(a);
  const bb = enc.encode(b);
  // Compare against itself on length mismatch so the time does not depend on where it differs.
  if (ab.byteLength !== bb.byteLength) {
    crypto.subtle.timingSafeEqual(ab, ab);
    return false;
  }
  return crypto.subtle.timingSafeEqual(ab, bb);
}

// Workers cap PBKDF2 at 100k iterations; the count is stored so it can be raised later.
const PBKDF2_ITERATIONS = 100_000;

async function pbkdf2(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', enc.encode(password), 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, key, 256);
  return new Uint8Array(bits);
}

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const hash = await pbkdf2(password, salt, PBKDF2_ITERATIONS);
  return `pbkdf2-sha256$${PBKDF2_ITERATIONS}$${b64(salt)}$${b64(hash)}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, iter, salt, hash] = stored.split('$');
  if (scheme !== 'pbkdf2-sha256' || !iter || !salt || !hash) return false;
  const candidate = await pbkdf2(password, unb64(salt), Number(iter));
  return timingSafeEqualText(b64(candidate), hash);
}

/** A PBKDF2 hash of nothing, so a login for an unknown email costs the same time. */
export const DUMMY_PASSWORD_HASH =
  'pbkdf2-sha256$100000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

async function masterKey(secret: string): Promise<CryptoKey> {
  if (!secret) throw new Error('TETHER_MASTER_KEY is not set');
  const raw = unb64(secret);
  if (raw.byteLength !== 32) throw new Error('TETHER_MASTER_KEY must be base64 of 32 bytes');
  return crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
}

export async function encryptWithMaster(secret: string, plain: Uint8Array<ArrayBuffer>): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, await masterKey(secret), plain);
  return `v1.${b64(iv)}.${b64(ct)}`;
}

export async function decryptWithMaster(secret: string, sealed: string): Promise<Uint8Array> {
  const [ver, iv, ct] = sealed.split('.');
  if (ver !== 'v1' || !iv || !ct) throw new Error('unknown sealed format');
  const pt = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: unb64(iv) }, await masterKey(secret), unb64(ct));
  return new Uint8Array(pt);
}

/** Text sealed under the master key (licence keys, vendor credentials, integration configs as JSON). */
export const sealText = (secret: string, text: string) => encryptWithMaster(secret, new Uint8Array(new TextEncoder().encode(text)));
export const openText = async (secret: string, sealed: string) => new TextDecoder().decode(await decryptWithMaster(secret, sealed));

export interface TenantKeyPair {
  publicKey: string;
  privateKeyEnc: string;
}

/** A tenant's command-signing key pair; the private half leaves only encrypted. */
export async function generateTenantKeys(secret: string): Promise<TenantKeyPair> {
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const pub = (await crypto.subtle.exportKey('raw', pair.publicKey)) as ArrayBuffer;
  const priv = (await crypto.subtle.exportKey('pkcs8', pair.privateKey)) as ArrayBuffer;
  return { publicKey: b64(pub), privateKeyEnc: await encryptWithMaster(secret, new Uint8Array(priv)) };
}

export async function signWithTenantKey(secret: string, privateKeyEnc: string, message: string): Promise<string> {
  const pkcs8 = await decryptWithMaster(secret, privateKeyEnc);
  const key = await crypto.subtle.importKey('pkcs8', pkcs8 as Uint8Array<ArrayBuffer>, { name: 'Ed25519' }, false, ['sign']);
  return b64(await crypto.subtle.sign({ name: 'Ed25519' }, key, enc.encode(message)));
}
