import { and, eq } from 'drizzle-orm';
import type { Context } from 'hono';
import { packageVersions } from '../../../db/deploy-schema';
import type { CreateVersionBody } from '../../../protocol/api/packages';
import { isFileInstaller, type DetectionRule } from '../../../protocol/packages';
import type { AppEnv } from '../../types';
import { auditInsert } from '../audit';
import { ApiError, badRequest, type ErrorIssue } from '../errors';
import { newId } from '../ids';
import { packageKey, safeFileName } from './keys';
import { buildManifest, MAX_MANIFEST_BYTES, manifestBytes, signManifest } from './manifest';
import type { PackageRow, VersionRow } from './store';

/** What the body must and must not carry for the package's installer. */
function checkKind(pkg: PackageRow, body: CreateVersionBody): void {
  const issues: ErrorIssue[] = [];
  if (isFileInstaller(pkg.installer)) {
    if (body.fileName === undefined) issues.push({ path: 'fileName', message: `a ${pkg.installer} package is uploaded: give the file's name` });
    if (body.size === undefined) issues.push({ path: 'size', message: `a ${pkg.installer} package is uploaded: give the file's size` });
    if (body.repoName !== undefined) issues.push({ path: 'repoName', message: `a ${pkg.installer} package is uploaded, not installed by name` });
  } else {
    if (body.repoName === undefined) issues.push({ path: 'repoName', message: `a ${pkg.installer} package is installed by name: give the name` });
    if (body.fileName !== undefined) issues.push({ path: 'fileName', message: `a ${pkg.installer} package has no file to upload` });
    if (body.size !== undefined) issues.push({ path: 'size', message: `a ${pkg.installer} package has no file to upload` });
  }
  if (issues.length) throw badRequest('the version does not fit the package’s installer', issues);
}

const duplicate = (version: string) => new ApiError(409, 'conflict', `version ${version} already exists for this package`);

/**
 * A new version: a file installer's starts an R2 multipart upload (status `uploading`); a
 * repository installer's has nothing to upload and is signed and `ready` at once.
 */
export async function createVersion(c: Context<AppEnv>, pkg: PackageRow, body: CreateVersionBody): Promise<VersionRow> {
  const { db, auth } = c.var;
  checkKind(pkg, body);
  const taken = await db
    .select({ id: packageVersions.id })
    .from(packageVersions)
    .where(and(eq(packageVersions.packageId, pkg.id), eq(packageVersions.version, body.version)))
    .get();
  if (taken) throw duplicate(body.version);

  const now = Date.now();
  const id = newId('pkv', now);
  const file = isFileInstaller(pkg.installer);
  const detection: DetectionRule = body.detection ?? { type: 'software', name: body.repoName ?? pkg.name, match: 'exact' };
  const facts = {
    id,
    version: body.version,
    repoName: body.repoName ?? null,
    fileName: file ? safeFileName(body.fileName!) : null,
    silentArgs: body.silentArgs,
    uninstallArgs: body.uninstallArgs,
    detection,
  };
  // The manifest's arguments and rule are known now: refuse one too big to sign before any upload.
  const draft = buildManifest(pkg, { ...facts, size: body.size ?? null, sha256: file ? '0'.repeat(64) : null }, now);
  if (manifestBytes(draft) > MAX_MANIFEST_BYTES) {
    throw badRequest('the manifest would be too large', [{ path: 'silentArgs', message: `arguments and detection rule must fit a ${MAX_MANIFEST_BYTES}-byte manifest` }]);
  }

  const row: VersionRow = {
    ...facts,
    packageId: pkg.id,
    tenantId: pkg.tenantId,
    status: 'uploading',
    r2Key: null,
    uploadId: null,
    uploadedBytes: 0,
    declaredSize: body.size ?? null,
    size: null,
    sha256: null,
    notes: body.notes,
    manifest: null,
    manifestSig: null,
    error: null,
    createdBy: auth.actorId,
    createdAt: now,
    readyAt: null,
  };
  if (file) {
    row.r2Key = packageKey(pkg.tenantId, pkg.id, id);
    row.uploadId = (await c.env.PACKAGES.createMultipartUpload(row.r2Key, { httpMetadata: { contentType: 'application/octet-stream' } })).uploadId;
  } else {
    const signed = await signManifest(db, c.env.TETHER_MASTER_KEY, draft);
    Object.assign(row, { status: 'ready', manifest: signed.text, manifestSig: signed.sig, readyAt: now });
  }
  try {
    await db.batch([
      db.insert(packageVersions).values(row),
      auditInsert(db, c, {
        action: 'package.version.create',
        targetType: 'package_version',
        targetId: id,
        detail: { packageId: pkg.id, name: pkg.name, version: body.version, installer: pkg.installer, fileName: row.fileName, size: row.declaredSize, repoName: row.repoName },
      }),
    ]);
  } catch (err) {
    if (row.r2Key && row.uploadId) await c.env.PACKAGES.resumeMultipartUpload(row.r2Key, row.uploadId).abort().catch(() => undefined);
    // Two uploads of the same version at once: the unique index answers for the slower one.
    if (String(err).includes('UNIQUE')) throw duplicate(body.version);
    throw err;
  }
  return row;
}

/** Aborts an unfinished upload or deletes the stored object (whichever the version has). */
export async function removeStoredBytes(bucket: R2Bucket, version: Pick<VersionRow, 'r2Key' | 'uploadId' | 'status'>): Promise<void> {
  if (!version.r2Key) return;
  if (version.status === 'uploading' && version.uploadId) {
    // An upload already completed or aborted cannot be aborted again: nothing is left to free.
    await bucket.resumeMultipartUpload(version.r2Key, version.uploadId).abort().catch(() => undefined);
  }
  await bucket.delete(version.r2Key);
}
