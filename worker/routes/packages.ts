import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { and, eq } from 'drizzle-orm';
import { packages, packageVersions } from '../../db/deploy-schema';
import { IdParam } from '../../protocol/api/common';
import { CreatePackageBody, PackageDetail, PackageListQuery, PackagePage, UpdatePackageBody } from '../../protocol/api/packages';
import { INSTALLER_PLATFORM } from '../../protocol/packages';
import type { AppEnv } from '../types';
import { requireAuth } from '../middleware/auth';
import { valid } from '../lib/validate';
import { requireRole } from '../lib/roles';
import { newId } from '../lib/ids';
import { auditInsert } from '../lib/audit';
import { badRequest } from '../lib/errors';
import { errors, jsonBody, noContent } from '../lib/responses';
import { assertVersionsUnused, findPackage, findPackageRow, listPackages, requireCatalogWriter } from '../lib/packages/store';
import { removeStoredBytes } from '../lib/packages/versions';
import { packageVersionsRoutes } from './package-versions';

const tags = ['packages'];
const READ = 'Read-only or higher (the catalog is tenant-wide: a caller limited to clients reads it too).';
const WRITE = 'Admin or higher, not limited to clients.';

export const packagesRoutes = new Hono<AppEnv>()
  .use('*', requireAuth)
  .get(
    '/',
    describeRoute({
      tags,
      summary: 'The software catalog, by name, each package with its newest ready version',
      description: `${READ} \`q\` searches name, vendor and description.`,
      responses: { 200: jsonBody('a page of packages', PackagePage), ...errors(400, 401, 403) },
    }),
    valid('query', PackageListQuery),
    async (c) => {
      requireRole(c.var.auth, 'readonly');
      return c.json(await listPackages(c.var.db, c.var.auth.tenantId, c.req.valid('query')), 200);
    },
  )
  .post(
    '/',
    describeRoute({
      tags,
      summary: 'Add a package to the catalog (its versions are added next)',
      description: `${WRITE} The platform must be the installer's (deb, rpm, apt, dnf: linux; pkg, brew: macos; msi, exe, winget, choco: windows).`,
      responses: { 201: jsonBody('created', PackageDetail), ...errors(400, 401, 403) },
    }),
    valid('json', CreatePackageBody),
    async (c) => {
      const { auth, db } = c.var;
      requireCatalogWriter(auth);
      const body = c.req.valid('json');
      if (INSTALLER_PLATFORM[body.installer] !== body.platform) {
        throw badRequest('the platform does not match the installer', [{ path: 'platform', message: `${body.installer} packages are for ${INSTALLER_PLATFORM[body.installer]}` }]);
      }
      const now = Date.now();
      const id = newId('pkg', now);
      await db.batch([
        db.insert(packages).values({ id, tenantId: auth.tenantId, ...body, createdBy: auth.actorId, createdAt: now, updatedAt: now }),
        auditInsert(db, c, { action: 'package.create', targetType: 'package', targetId: id, detail: { name: body.name, installer: body.installer, platform: body.platform } }),
      ]);
      return c.json(await findPackage(db, auth.tenantId, id), 201);
    },
  )
  .get(
    '/:id',
    describeRoute({ tags, summary: 'One package with every version, newest first', description: READ, responses: { 200: jsonBody('the package', PackageDetail), ...errors(401, 403, 404) } }),
    valid('param', IdParam),
    async (c) => {
      requireRole(c.var.auth, 'readonly');
      return c.json(await findPackage(c.var.db, c.var.auth.tenantId, c.req.valid('param').id), 200);
    },
  )
  .patch(
    '/:id',
    describeRoute({
      tags,
      summary: 'Rename or describe a package (signed manifests keep the name they were signed with)',
      description: WRITE,
      responses: { 200: jsonBody('the package as it now is', PackageDetail), ...errors(400, 401, 403, 404) },
    }),
    valid('param', IdParam),
    valid('json', UpdatePackageBody),
    async (c) => {
      const { auth, db } = c.var;
      requireCatalogWriter(auth);
      const { id } = c.req.valid('param');
      const before = await findPackageRow(db, auth.tenantId, id);
      const body = c.req.valid('json');
      const changed = Object.fromEntries(Object.entries(body).filter(([k, val]) => val !== undefined && before[k as keyof typeof before] !== val));
      if (Object.keys(changed).length > 0) {
        await db.batch([
          db.update(packages).set({ ...changed, updatedAt: Date.now() }).where(and(eq(packages.tenantId, auth.tenantId), eq(packages.id, id))),
          auditInsert(db, c, {
            action: 'package.update',
            targetType: 'package',
            targetId: id,
            detail: { before: Object.fromEntries(Object.keys(changed).map((k) => [k, before[k as keyof typeof before]])), after: changed },
          }),
        ]);
      }
      return c.json(await findPackage(db, auth.tenantId, id), 200);
    },
  )
  .delete(
    '/:id',
    describeRoute({
      tags,
      summary: 'Delete a package, its versions and their stored files',
      description: `${WRITE} A job that may still deploy one of its versions (running, scheduled, halted or awaiting approval) answers 409.`,
      responses: { 204: noContent, ...errors(401, 403, 404, 409) },
    }),
    valid('param', IdParam),
    async (c) => {
      const { auth, db } = c.var;
      requireCatalogWriter(auth);
      const { id } = c.req.valid('param');
      const pkg = await findPackageRow(db, auth.tenantId, id);
      const versions = await db
        .select({ id: packageVersions.id, r2Key: packageVersions.r2Key, uploadId: packageVersions.uploadId, status: packageVersions.status })
        .from(packageVersions)
        .where(and(eq(packageVersions.tenantId, auth.tenantId), eq(packageVersions.packageId, id)))
        .all();
      await assertVersionsUnused(db, auth.tenantId, versions.map((v) => v.id));
      await db.batch([
        auditInsert(db, c, { action: 'package.delete', targetType: 'package', targetId: id, detail: { name: pkg.name, versions: versions.length } }),
        db.delete(packageVersions).where(and(eq(packageVersions.tenantId, auth.tenantId), eq(packageVersions.packageId, id))),
        db.delete(packages).where(and(eq(packages.tenantId, auth.tenantId), eq(packages.id, id))),
      ]);
      // The rows are gone first: a file left behind by a failed delete is unreachable, never served.
      for (const v of versions) await removeStoredBytes(c.env.PACKAGES, v);
      return c.body(null, 204);
    },
  )
  .route('/:id/versions', packageVersionsRoutes);
