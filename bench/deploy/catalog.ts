import { randomBytes } from 'node:crypto';
import { open } from 'node:fs/promises';
import { PACKAGE_PART_BYTES, type CreatePackageBody, type CreateVersionBody, type PackageDetail, type PackageVersion } from '../../protocol/api/packages';
import type { Api } from '../sim/api';

/*
 * The software catalog as the bench fills it: packages and versions through the REST API,
 * a file uploaded the way the dashboard does it (8 MiB parts, then complete).
 */

async function expect<T>(what: string, res: Promise<{ status: number; body: unknown }>, status: number): Promise<T> {
  const got = await res;
  if (got.status !== status) throw new Error(`${what}: ${got.status} ${JSON.stringify(got.body).slice(0, 300)}`);
  return got.body as T;
}

export function createPackage(api: Api, body: Partial<CreatePackageBody> & Pick<CreatePackageBody, 'name' | 'installer' | 'platform'>): Promise<PackageDetail> {
  return expect<PackageDetail>('POST /packages', api.call('POST', '/api/v1/packages', body), 201);
}

export function createVersion(api: Api, packageId: string, body: Partial<CreateVersionBody> & Pick<CreateVersionBody, 'version'>): Promise<PackageVersion> {
  return expect<PackageVersion>('POST /packages/:id/versions', api.call('POST', `/api/v1/packages/${packageId}/versions`, body), 201);
}

export interface Upload {
  version: PackageVersion;
  /** From the first part sent until `complete` answered (the server hashes the object then). */
  elapsedMs: number;
  parts: number;
}

/** PUT one part's bytes (raw, not JSON). */
async function putPart(api: Api, path: string, bytes: Uint8Array): Promise<{ partNumber: number; etag: string }> {
  const res = await fetch(`${api.url}${path}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${api.token}`, 'content-type': 'application/octet-stream' },
    body: bytes,
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`PUT ${path}: ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as { partNumber: number; etag: string };
}

/** Uploads `size` bytes of the file at `path` into an `uploading` version and completes it. */
export async function uploadFile(api: Api, packageId: string, version: PackageVersion, path: string, size: number): Promise<Upload> {
  const base = `/api/v1/packages/${packageId}/versions/${version.id}`;
  const file = await open(path, 'r');
  const parts: { partNumber: number; etag: string }[] = [];
  const t0 = performance.now();
  try {
    for (let offset = 0, n = 1; offset < size; offset += PACKAGE_PART_BYTES, n++) {
      const length = Math.min(PACKAGE_PART_BYTES, size - offset);
      const buf = Buffer.alloc(length);
      const { bytesRead } = await file.read(buf, 0, length, offset);
      if (bytesRead !== length) throw new Error(`short read at ${offset}`);
      parts.push(await putPart(api, `${base}/parts/${n}`, buf));
    }
  } finally {
    await file.close();
  }
  const done = await expect<PackageVersion>('POST …/complete', api.call('POST', `${base}/complete`, { parts }), 200);
  if (done.status !== 'ready') throw new Error(`the uploaded version is ${done.status}: ${done.error ?? ''}`);
  return { version: done, elapsedMs: performance.now() - t0, parts: parts.length };
}

/** A file of random bytes (written in 8 MiB pieces, never held whole in memory). */
export async function writeRandomFile(path: string, size: number): Promise<void> {
  const file = await open(path, 'w', 0o600);
  try {
    for (let offset = 0; offset < size; offset += PACKAGE_PART_BYTES) await file.write(randomBytes(Math.min(PACKAGE_PART_BYTES, size - offset)));
  } finally {
    await file.close();
  }
}
