import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import * as v from 'valibot';
import { and, eq } from 'drizzle-orm';
import { packageVersions } from '../../db/deploy-schema';
import { Id, IdParam } from '../../protocol/api/common';
import { CompleteUploadBody, CreateVersionBody, PackageVersion, PartNumberParam, UploadedPart } from '../../protocol/api/packages';
import type { AppEnv } from '../types';
import { valid } from '../lib/validate';
import { requireRole } from '../lib/roles';
import { auditInsert } from '../lib/audit';
import { errors, jsonBody, noContent } from '../lib/responses';
import { assertVersionsUnused, findPackageRow, findVersionRow, requireCatalogWriter, toVersion } from '../lib/packages/store';
import { createVersion, removeStoredBytes } from '../lib/packages/versions';
import { completeUpload, uploadPart, MAX_PART_BYTES } from '../lib/packages/upload';

/* Mounted at /packages/:id/versions (requireAuth applies from the parent). */

const tags = ['packages'];
const PUBLISH = 'Admin or higher, not limited to clients (technicians deploy software but do not publish it).';
const VersionParam = v.object({ id: Id, vid: Id });

export const packageVersionsRoutes = new Hono<AppEnv>()
  .post(
    '/',
    describeRoute({
      tags,
      summary: 'Add a version: a file installer’s starts an upload (status uploading); a repository installer’s is signed and ready at once',
      description: `${PUBLISH} A file's name is kept without any directory part; its bytes are stored under ids only.`,
      responses: { 201: jsonBody('the version', PackageVersion), ...errors(400, 401, 403, 404, 409) },
    }),
    valid('param', IdParam),
    valid('json', CreateVersionBody),
    async (c) => {
      requireCatalogWriter(c.var.auth);
      const pkg = await findPackageRow(c.var.db, c.var.auth.tenantId, c.req.valid('param').id);
      return c.json(toVersion(await createVersion(c, pkg, c.req.valid('json'))), 201);
    },
  )
  .get(
    '/:vid',
    describeRoute({ tags, summary: 'One version (upload progress while uploading)', description: 'Read-only or higher.', responses: { 200: jsonBody('the version', PackageVersion), ...errors(401, 403, 404) } }),
    valid('param', VersionParam),
    async (c) => {
      requireRole(c.var.auth, 'readonly');
      const { id, vid } = c.req.valid('param');
      return c.json(toVersion((await findVersionRow(c.var.db, c.var.auth.tenantId, id, vid)).version), 200);
    },
  )
  .put(
    '/:vid/parts/:n',
    describeRoute({
      tags,
      summary: 'Upload part n (1, 2, …) of an uploading version: the body is the bytes (Content-Length required)',
      description: `${PUBLISH} Every part but the last must be at least 5 MiB (the dashboard sends 8 MiB); a part over ${MAX_PART_BYTES} bytes answers 413.`,
      responses: { 200: jsonBody('the part’s etag, for completion', UploadedPart), ...errors(400, 401, 403, 404, 409, 413) },
    }),
    valid('param', PartNumberParam),
    async (c) => {
      requireCatalogWriter(c.var.auth);
      const { id, vid, n } = c.req.valid('param');
      const { version } = await findVersionRow(c.var.db, c.var.auth.tenantId, id, vid);
      return c.json(await uploadPart(c, version, n), 200);
    },
  )
  .post(
    '/:vid/complete',
    describeRoute({
      tags,
      summary: 'Finish an upload: the server hashes the stored file, checks its size and signs the manifest (status ready)',
      description: `${PUBLISH} A size other than the declared one fails the version, deletes the file and answers 422 \`size_mismatch\`.`,
      responses: { 200: jsonBody('the ready version', PackageVersion), ...errors(400, 401, 403, 404, 409) },
    }),
    valid('param', VersionParam),
    valid('json', CompleteUploadBody),
    async (c) => {
      requireCatalogWriter(c.var.auth);
      const { id, vid } = c.req.valid('param');
      const { pkg, version } = await findVersionRow(c.var.db, c.var.auth.tenantId, id, vid);
      await completeUpload(c, pkg, version, c.req.valid('json'));
      return c.json(toVersion((await findVersionRow(c.var.db, c.var.auth.tenantId, id, vid)).version), 200);
    },
  )
  .delete(
    '/:vid',
    describeRoute({
      tags,
      summary: 'Delete a version: aborts its upload or deletes its stored file',
      description: `${PUBLISH} A job that may still deploy it answers 409.`,
      responses: { 204: noContent, ...errors(401, 403, 404, 409) },
    }),
    valid('param', VersionParam),
    async (c) => {
      const { auth, db } = c.var;
      requireCatalogWriter(auth);
      const { id, vid } = c.req.valid('param');
      const { pkg, version } = await findVersionRow(db, auth.tenantId, id, vid);
      await assertVersionsUnused(db, auth.tenantId, [vid]);
      await db.batch([
        auditInsert(db, c, { action: 'package.version.delete', targetType: 'package_version', targetId: vid, detail: { packageId: id, name: pkg.name, version: version.version, status: version.status } }),
        db.delete(packageVersions).where(and(eq(packageVersions.tenantId, auth.tenantId), eq(packageVersions.id, vid))),
      ]);
      await removeStoredBytes(c.env.PACKAGES, version);
      return c.body(null, 204);
    },
  );
