import { eq } from 'drizzle-orm';
import * as v from 'valibot';
import { tenants } from '../../../db/schema';
import { MANIFEST_SIGNING_PREFIX, PackageManifest, type SignedManifest } from '../../../protocol/packages';
import type { Db } from '../../types';
import { hex, signWithTenantKey } from '../crypto';
import type { PackageRow, VersionRow } from './store';

/** The manifest's size cap (SignedManifest.text). */
export const MAX_MANIFEST_BYTES = 16 * 1024;

type Facts = Pick<VersionRow, 'id' | 'version' | 'repoName' | 'fileName' | 'silentArgs' | 'uninstallArgs' | 'detection'> & {
  size: number | null;
  sha256: string | null;
};

/** The manifest of a version, in a fixed key order (the text is signed once and kept as is). */
export function buildManifest(pkg: PackageRow, version: Facts, signedAt: number): PackageManifest {
  return v.parse(PackageManifest, {
    v: 1,
    tenantId: pkg.tenantId,
    packageId: pkg.id,
    versionId: version.id,
    name: pkg.name,
    version: version.version,
    platform: pkg.platform,
    installer: pkg.installer,
    repoName: version.repoName,
    fileName: version.fileName,
    size: version.size,
    sha256: version.sha256,
    silentArgs: version.silentArgs,
    uninstallArgs: version.uninstallArgs,
    detection: version.detection,
    signedAt,
  } satisfies PackageManifest);
}

export const manifestBytes = (m: PackageManifest): number => new TextEncoder().encode(JSON.stringify(m)).byteLength;

/**
 * Signs the manifest with the tenant's command-signing key over MANIFEST_SIGNING_PREFIX + text:
 * the agent pinned that key at enrollment, and the prefix keeps a manifest from ever passing
 * for a command.
 */
export async function signManifest(db: Db, masterKey: string, manifest: PackageManifest): Promise<SignedManifest> {
  const tenant = await db.select({ key: tenants.signingPrivateKeyEnc }).from(tenants).where(eq(tenants.id, manifest.tenantId)).get();
  if (!tenant) throw new Error(`tenant ${manifest.tenantId} has no signing key`);
  const text = JSON.stringify(manifest);
  return { text, sig: await signWithTenantKey(masterKey, tenant.key, MANIFEST_SIGNING_PREFIX + text) };
}

/** SHA-256 and size of what R2 holds, streamed (a package may be far larger than a Worker's memory). */
export async function hashObject(bucket: R2Bucket, key: string): Promise<{ sha256: string; size: number } | null> {
  const obj = await bucket.get(key);
  if (!obj) return null;
  const digest = new crypto.DigestStream('SHA-256');
  await obj.body.pipeTo(digest);
  return { sha256: hex(await digest.digest), size: Number(digest.bytesWritten) };
}
