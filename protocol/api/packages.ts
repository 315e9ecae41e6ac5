import * as v from 'valibot';
import { Id, Name, pageOf, SearchText, Timestamp } from './common';
import { DetectionRule, InstallerArgs, InstallerType, PackagePlatform, PackageVersionText, RepoName, Sha256Hex } from '../packages';

/*
 * /api/v1/packages — the tenant's software catalog. A package (name, platform, installer) has
 * versions; a file installer's version is uploaded to R2 in parts (multipart: every part but
 * the last at least PACKAGE_PART_BYTES), after which the server reads the object back,
 * computes its SHA-256 and size, and signs the manifest. A repository installer's version
 * (apt, dnf, brew, winget, choco) has nothing to upload and is signed when created. Only a
 * `ready` version can be deployed. Writing the catalog: admin+; reading it: every staff role.
 */

/** R2 multipart parts must be ≥ 5 MiB except the last; the dashboard sends 8 MiB parts. */
export const PACKAGE_PART_BYTES = 8 * 1024 * 1024;
/** The largest upload: 10,000 parts would allow more, but nothing an MSP deploys is bigger. */
export const MAX_PACKAGE_BYTES = 8 * 1024 * 1024 * 1024;

export const CreatePackageBody = v.object({
  name: Name,
  vendor: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(120)), ''),
  description: v.optional(v.pipe(v.string(), v.maxLength(2000)), ''),
  installer: InstallerType,
  /** Must match the installer's platform (INSTALLER_PLATFORM). */
  platform: PackagePlatform,
});
export type CreatePackageBody = v.InferOutput<typeof CreatePackageBody>;
export const UpdatePackageBody = v.partial(v.pick(CreatePackageBody, ['name', 'vendor', 'description']));

export const VersionStatus = v.picklist(['uploading', 'ready', 'failed']);
export type VersionStatus = v.InferOutput<typeof VersionStatus>;

export const CreateVersionBody = v.object({
  version: PackageVersionText,
  /** File installers: the uploaded file's name (any directory part is dropped) and its size. */
  fileName: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(1024))),
  size: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_PACKAGE_BYTES))),
  /** Repository installers: the name to install. */
  repoName: v.optional(RepoName),
  silentArgs: v.optional(InstallerArgs, []),
  uninstallArgs: v.optional(InstallerArgs, []),
  /** Default: software named like the package (deb/rpm: repoName or the file's package name) at exactly this version. */
  detection: v.optional(DetectionRule),
  notes: v.optional(v.pipe(v.string(), v.maxLength(2000)), ''),
});
export type CreateVersionBody = v.InferOutput<typeof CreateVersionBody>;

export const PackageVersion = v.object({
  id: Id,
  packageId: Id,
  version: v.string(),
  status: VersionStatus,
  fileName: v.nullable(v.string()),
  size: v.nullable(v.number()),
  sha256: v.nullable(Sha256Hex),
  repoName: v.nullable(v.string()),
  silentArgs: v.array(v.string()),
  uninstallArgs: v.array(v.string()),
  detection: DetectionRule,
  notes: v.string(),
  /** Bytes received so far while uploading. */
  uploadedBytes: v.number(),
  error: v.nullable(v.string()),
  createdBy: Id,
  createdAt: Timestamp,
  readyAt: v.nullable(Timestamp),
});
export type PackageVersion = v.InferOutput<typeof PackageVersion>;

export const Package = v.object({
  id: Id,
  name: v.string(),
  vendor: v.string(),
  description: v.string(),
  installer: InstallerType,
  platform: PackagePlatform,
  /** The newest ready version, if any. */
  latest: v.nullable(v.object({ id: Id, version: v.string(), readyAt: Timestamp })),
  versionCount: v.number(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Package = v.InferOutput<typeof Package>;
export const PackagePage = pageOf(Package);
export const PackageDetail = v.object({ ...Package.entries, versions: v.array(PackageVersion) });
export type PackageDetail = v.InferOutput<typeof PackageDetail>;

export const PackageListQuery = v.object({
  q: SearchText,
  platform: v.optional(PackagePlatform),
  installer: v.optional(InstallerType),
  cursor: v.optional(v.pipe(v.string(), v.maxLength(512))),
  limit: v.optional(v.pipe(v.string(), v.regex(/^\d+$/), v.transform(Number), v.minValue(1), v.maxValue(200))),
});

/**
 * Upload: PUT /packages/:id/versions/:vid/parts/:n (n = 1, 2, … in order; body = the bytes)
 * answers the part's etag; POST /packages/:id/versions/:vid/complete with every part's etag
 * finishes it (the server hashes the stored object and signs the manifest; a mismatch with
 * the declared size fails the version). DELETE of an uploading version aborts the upload.
 */
export const UploadedPart = v.object({ partNumber: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10_000)), etag: v.pipe(v.string(), v.minLength(1), v.maxLength(200)) });
export const CompleteUploadBody = v.object({ parts: v.pipe(v.array(UploadedPart), v.minLength(1), v.maxLength(10_000)) });
export type CompleteUploadBody = v.InferOutput<typeof CompleteUploadBody>;
export const PartNumberParam = v.object({
  id: Id,
  vid: Id,
  n: v.pipe(v.string(), v.regex(/^\d{1,5}$/), v.transform(Number), v.minValue(1), v.maxValue(10_000)),
});
