import { and, eq, sql } from 'drizzle-orm';
import type { Context } from 'hono';
import { packageVersions } from '../../../db/deploy-schema';
import { PACKAGE_PART_BYTES, type CompleteUploadBody } from '../../../protocol/api/packages';
import type { AppEnv } from '../../types';
import { auditInsert } from '../audit';
import { ApiError, badRequest } from '../errors';
import { buildManifest, hashObject, signManifest } from './manifest';
import type { PackageRow, VersionRow } from './store';

/** A part may be at most twice the size the dashboard sends; anything bigger is not ours. */
export const MAX_PART_BYTES = PACKAGE_PART_BYTES * 2;

const notUploading = (v: VersionRow) => new ApiError(409, 'conflict', `version ${v.version} is ${v.status}, not uploading`);

/**
 * One part, streamed from the request straight into the R2 multipart upload (never held in
 * memory). R2 itself refuses parts under 5 MiB other than the last at completion.
 */
export async function uploadPart(c: Context<AppEnv>, version: VersionRow, partNumber: number): Promise<{ partNumber: number; etag: string }> {
  if (version.status !== 'uploading' || !version.r2Key || !version.uploadId) throw notUploading(version);
  const declared = c.req.header('content-length');
  if (!declared || !/^\d+$/.test(declared)) throw new ApiError(411, 'bad_request', 'Content-Length is required');
  const length = Number(declared);
  if (length > MAX_PART_BYTES) throw new ApiError(413, 'payload_too_large', `a part may be at most ${MAX_PART_BYTES} bytes`);
  // A retried part counts twice, so allow some slack; a client streaming far past its declared size is cut off.
  if (version.uploadedBytes + length > (version.declaredSize ?? 0) + MAX_PART_BYTES) {
    throw new ApiError(413, 'payload_too_large', `more bytes than the declared ${version.declaredSize}`);
  }
  const body = c.req.raw.body;
  if (!body || length === 0) throw badRequest('a part needs bytes');
  let part: R2UploadedPart;
  try {
    part = await c.env.PACKAGES.resumeMultipartUpload(version.r2Key, version.uploadId).uploadPart(partNumber, body);
  } catch (err) {
    // The version was cancelled (its upload aborted) while this part streamed, or the client
    // went away mid-part: nothing was stored, and the client may send the part again.
    throw new ApiError(409, 'conflict', `part ${partNumber} was not stored: ${err instanceof Error ? err.message : String(err)}`);
  }
  await c.var.db
    .update(packageVersions)
    .set({ uploadedBytes: sql`${packageVersions.uploadedBytes} + ${length}` })
    .where(and(eq(packageVersions.id, version.id), eq(packageVersions.status, 'uploading')))
    .run();
  return { partNumber: part.partNumber, etag: part.etag };
}

/**
 * Completes the upload, hashes what R2 now holds and, when its size is the declared one,
 * signs the manifest (status `ready`). A wrong size fails the version and deletes the object:
 * 422 `size_mismatch`.
 */
export async function completeUpload(c: Context<AppEnv>, pkg: PackageRow, version: VersionRow, body: CompleteUploadBody): Promise<void> {
  const db = c.var.db;
  const env = c.env;
  if (version.status !== 'uploading' || !version.r2Key || !version.uploadId) throw notUploading(version);
  const key = version.r2Key;
  try {
    await env.PACKAGES.resumeMultipartUpload(key, version.uploadId).complete([...body.parts].sort((a, b) => a.partNumber - b.partNumber));
  } catch (err) {
    // Wrong etags, a missing part or a small middle part: the upload stays open to retry.
    throw badRequest(`the upload could not be completed: ${err instanceof Error ? err.message : String(err)}`);
  }
  const stored = await hashObject(env.PACKAGES, key);
  const now = Date.now();
  const fail = async (error: string, status: 422 | 500, code: 'size_mismatch' | 'internal') => {
    await env.PACKAGES.delete(key);
    await db.batch([
      db.update(packageVersions).set({ status: 'failed', error, uploadId: null }).where(eq(packageVersions.id, version.id)),
      auditInsert(db, c, { action: 'package.version.fail', targetType: 'package_version', targetId: version.id, detail: { packageId: pkg.id, version: version.version, error } }),
    ]);
    throw new ApiError(status, code, error);
  };
  if (!stored) return fail('the completed upload is not in storage', 500, 'internal');
  if (stored.size !== version.declaredSize) {
    return fail(`received ${stored.size} bytes, but ${version.declaredSize} were declared`, 422, 'size_mismatch');
  }
  const manifest = buildManifest(pkg, { ...version, size: stored.size, sha256: stored.sha256 }, now);
  const signed = await signManifest(db, env.TETHER_MASTER_KEY, manifest);
  const [updated] = await db.batch([
    db
      .update(packageVersions)
      .set({ status: 'ready', size: stored.size, sha256: stored.sha256, manifest: signed.text, manifestSig: signed.sig, uploadId: null, uploadedBytes: stored.size, readyAt: now, error: null })
      .where(and(eq(packageVersions.id, version.id), eq(packageVersions.status, 'uploading')))
      .returning({ id: packageVersions.id }),
    auditInsert(db, c, {
      action: 'package.version.ready',
      targetType: 'package_version',
      targetId: version.id,
      detail: { packageId: pkg.id, name: pkg.name, version: version.version, size: stored.size, sha256: stored.sha256 },
    }),
  ]);
  if (updated.length === 0) throw new ApiError(409, 'conflict', 'the version changed while it was being completed');
}
