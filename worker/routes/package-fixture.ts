import { env, SELF } from 'cloudflare:test';
import { api, insertDevice, ORIGIN, type Auth } from '../../test/support';
import { hex, randomSecret, sha256Hex, unb64 } from '../lib/crypto';
import { MANIFEST_SIGNING_PREFIX } from '../../protocol/packages';

/* Catalog fixtures for server tests: packages, uploads through the real routes, devices with tokens. */

export const MIB = 1024 * 1024;

export async function ok<T = any>(auth: Auth, method: string, path: string, body?: unknown): Promise<T> {
  const res = await api(auth, method, path, body);
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as T;
}

/** Bytes that differ from part to part (a part shifted by one would not hash the same). */
export function patterned(length: number, seed = 1): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (i * 31 + seed * 7 + (i >> 10)) & 255;
  return out;
}

export const sha256Of = async (bytes: Uint8Array<ArrayBuffer>) => hex(await crypto.subtle.digest('SHA-256', bytes));

export const createPackage = (auth: Auth, body: Record<string, unknown> = {}) =>
  ok<{ id: string; name: string }>(auth, 'POST', '/packages', { name: 'Firefox', installer: 'deb', platform: 'linux', ...body });

export function putPart(auth: Auth, path: string, bytes: Uint8Array<ArrayBuffer>, headers: Record<string, string> = {}) {
  return SELF.fetch(`${ORIGIN}/api/v1${path}`, { method: 'PUT', headers: { ...auth.headers, 'content-type': 'application/octet-stream', ...headers }, body: bytes });
}

/**
 * A version uploaded through the real routes in parts (default: one part), then completed.
 * `declared` lies about the size when given. Answers the completion's status and body.
 */
export async function uploadVersion(
  auth: Auth,
  packageId: string,
  parts: Uint8Array<ArrayBuffer>[],
  opts: { version?: string; fileName?: string; declared?: number; extra?: Record<string, unknown> } = {},
) {
  const size = parts.reduce((n, p) => n + p.byteLength, 0);
  const version = await ok<{ id: string }>(auth, 'POST', `/packages/${packageId}/versions`, {
    version: opts.version ?? '1.0',
    fileName: opts.fileName ?? 'firefox_1.0_amd64.deb',
    size: opts.declared ?? size,
    ...opts.extra,
  });
  const etags = [];
  for (const [i, bytes] of parts.entries()) {
    const res = await putPart(auth, `/packages/${packageId}/versions/${version.id}/parts/${i + 1}`, bytes);
    if (res.status !== 200) throw new Error(`part ${i + 1}: ${res.status} ${await res.text()}`);
    etags.push(await res.json<{ partNumber: number; etag: string }>());
  }
  const done = await api(auth, 'POST', `/packages/${packageId}/versions/${version.id}/complete`, { parts: etags });
  return { versionId: version.id, status: done.status, body: done.body };
}

/** A ready one-part version (small: R2 takes a lone last part of any size). */
export async function readyVersion(auth: Auth, packageId: string, version: string, bytes = patterned(4096, version.length)) {
  const up = await uploadVersion(auth, packageId, [bytes], { version, fileName: `pkg_${version}.deb` });
  if (up.status !== 200) throw new Error(`upload ${version}: ${up.status} ${JSON.stringify(up.body)}`);
  return { id: up.versionId, bytes, body: up.body };
}

/** A device row with a token the test knows. */
export async function deviceWithToken(tenant: { tenantId: string; clientId: string; siteId: string }) {
  const token = randomSecret('tdt');
  const id = await insertDevice(tenant, { tokenHash: await sha256Hex(token) });
  return { id, token };
}

export const download = (token: string, versionId: string, headers: Record<string, string> = {}) =>
  SELF.fetch(`${ORIGIN}/agent/packages/${versionId}`, { headers: { authorization: `Bearer ${token}`, ...headers } });

/** Whether `sig` is the tenant's Ed25519 signature over the manifest prefix + text. */
export async function manifestVerifies(tenantId: string, manifest: { text: string; sig: string }): Promise<boolean> {
  const row = await env.DB.prepare('SELECT signing_public_key FROM tenants WHERE id = ?').bind(tenantId).first<{ signing_public_key: string }>();
  const key = await crypto.subtle.importKey('raw', unb64(row!.signing_public_key), { name: 'Ed25519' }, false, ['verify']);
  return crypto.subtle.verify({ name: 'Ed25519' }, key, unb64(manifest.sig), new TextEncoder().encode(MANIFEST_SIGNING_PREFIX + manifest.text));
}

export async function manifestOf(versionId: string): Promise<{ text: string; sig: string }> {
  const row = await env.DB.prepare('SELECT manifest, manifest_sig FROM package_versions WHERE id = ?').bind(versionId).first<{ manifest: string; manifest_sig: string }>();
  return { text: row!.manifest, sig: row!.manifest_sig };
}

/** Every object key in the bucket. */
export async function bucketKeys(): Promise<string[]> {
  const keys: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await env.PACKAGES.list({ cursor });
    keys.push(...page.objects.map((o) => o.key));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return keys.sort();
}
