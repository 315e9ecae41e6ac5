import { and, desc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import * as v from 'valibot';
import { packages, packageVersions } from '../../../db/deploy-schema';
import { jobs } from '../../../db/automation-schema';
import type { Package, PackageDetail, PackageListQuery, PackageVersion } from '../../../protocol/api/packages';
import type { AuthContext, Db } from '../../types';
import { ApiError, forbidden, notFound } from '../errors';
import { afterName, byName, matches, nameKey } from '../list-query';
import { DEFAULT_LIMIT, toPage, type Page } from '../pagination';
import { requireRole } from '../roles';

/*
 * The catalog is tenant-wide: every staff role reads it, and only admins who see every
 * client write it (a client-limited admin would otherwise publish software to clients they
 * cannot see).
 */

export function requireCatalogWriter(auth: AuthContext): void {
  requireRole(auth, 'admin');
  if (auth.clientIds !== null) throw forbidden('the software catalog is shared by every client; a caller limited to clients may read it but not change it');
}

export type PackageRow = typeof packages.$inferSelect;
export type VersionRow = typeof packageVersions.$inferSelect;

/** The newest ready version and the number of versions, next to each package row (qualified: drizzle leaves a lone table's columns bare). */
const latestSql = sql<string | null>`(SELECT json_object('id', pv.id, 'version', pv.version, 'readyAt', pv.ready_at) FROM package_versions pv WHERE pv.package_id = "packages"."id" AND pv.status = 'ready' ORDER BY pv.ready_at DESC, pv.id DESC LIMIT 1)`;
const countSql = sql<number>`(SELECT count(*) FROM package_versions pv WHERE pv.package_id = "packages"."id")`;
const packageColumns = { row: packages, latest: latestSql, versionCount: countSql };

function toPackage(r: { row: PackageRow; latest: string | null; versionCount: number }): Package {
  const { tenantId: _t, createdBy: _c, ...rest } = r.row;
  return { ...rest, latest: r.latest ? JSON.parse(r.latest) : null, versionCount: Number(r.versionCount) };
}

export function toVersion(r: VersionRow): PackageVersion {
  return {
    id: r.id,
    packageId: r.packageId,
    version: r.version,
    status: r.status,
    fileName: r.fileName,
    size: r.size ?? r.declaredSize,
    sha256: r.sha256,
    repoName: r.repoName,
    silentArgs: r.silentArgs,
    uninstallArgs: r.uninstallArgs,
    detection: r.detection,
    notes: r.notes,
    uploadedBytes: r.uploadedBytes,
    error: r.error,
    createdBy: r.createdBy,
    createdAt: r.createdAt,
    readyAt: r.readyAt,
  };
}

const inTenant = (tenantId: string, id: string) => and(eq(packages.tenantId, tenantId), eq(packages.id, id));

/** A package of the caller's tenant (404 for any other id). */
export async function findPackageRow(db: Db, tenantId: string, id: string): Promise<PackageRow> {
  const row = await db.select().from(packages).where(inTenant(tenantId, id)).get();
  if (!row) throw notFound('package');
  return row;
}

export async function findPackage(db: Db, tenantId: string, id: string): Promise<PackageDetail> {
  const [row, versions] = await Promise.all([
    db.select(packageColumns).from(packages).where(inTenant(tenantId, id)).get(),
    db
      .select()
      .from(packageVersions)
      .where(and(eq(packageVersions.tenantId, tenantId), eq(packageVersions.packageId, id)))
      .orderBy(desc(packageVersions.id))
      .all(),
  ]);
  if (!row) throw notFound('package');
  return { ...toPackage(row), versions: versions.map(toVersion) };
}

/** A version of a package of the caller's tenant, with its package (404 for any other pair). */
export async function findVersionRow(db: Db, tenantId: string, packageId: string, versionId: string): Promise<{ pkg: PackageRow; version: VersionRow }> {
  const row = await db
    .select({ pkg: packages, version: packageVersions })
    .from(packageVersions)
    .innerJoin(packages, eq(packages.id, packageVersions.packageId))
    .where(and(eq(packageVersions.tenantId, tenantId), eq(packages.tenantId, tenantId), eq(packageVersions.id, versionId), eq(packageVersions.packageId, packageId)))
    .get();
  if (!row) throw notFound('package version');
  return row;
}

export async function listPackages(db: Db, tenantId: string, q: v.InferOutput<typeof PackageListQuery>): Promise<Page<Package>> {
  const limit = q.limit ?? DEFAULT_LIMIT;
  const rows = await db
    .select(packageColumns)
    .from(packages)
    .where(
      and(
        eq(packages.tenantId, tenantId),
        q.platform ? eq(packages.platform, q.platform) : undefined,
        q.installer ? eq(packages.installer, q.installer) : undefined,
        matches(q.q, packages.name, packages.vendor, packages.description),
        afterName(q.cursor, packages.name, packages.id),
      ),
    )
    .orderBy(...byName(packages.name, packages.id))
    .limit(limit + 1)
    .all();
  return toPage(rows.map(toPackage), limit, nameKey);
}

/** Jobs in these states may still send a version to devices (or roll back to it). */
const LIVE_JOB_STATUSES = ['running', 'scheduled', 'halted', 'awaiting_approval'] as const;

/** 409 when a job that may still dispatch names one of these versions (its column or its action). */
export async function assertVersionsUnused(db: Db, tenantId: string, versionIds: string[]): Promise<void> {
  if (versionIds.length === 0) return;
  const ids = JSON.stringify(versionIds);
  const named: SQL = or(
    sql`${jobs.packageVersionId} IN (SELECT value FROM json_each(${ids}))`,
    sql`json_extract(${jobs.action}, '$.versionId') IN (SELECT value FROM json_each(${ids}))`,
  )!;
  const job = await db
    .select({ id: jobs.id })
    .from(jobs)
    .where(and(eq(jobs.tenantId, tenantId), inArray(jobs.status, [...LIVE_JOB_STATUSES]), named))
    .get();
  if (job) throw new ApiError(409, 'conflict', `job ${job.id} still deploys this software; cancel it or let it finish first`);
}
