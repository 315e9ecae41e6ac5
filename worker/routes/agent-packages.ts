import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import * as v from 'valibot';
import { and, eq } from 'drizzle-orm';
import { packageVersions } from '../../db/deploy-schema';
import { Id } from '../../protocol/api/common';
import type { AppEnv } from '../types';
import { valid } from '../lib/validate';
import { ApiError, notFound } from '../lib/errors';
import { deviceFromToken } from '../lib/device-token';
import { enforceRateLimits } from '../lib/rate-limit';

/**
 * A resuming agent asks a few times per install; a device looping on a failure is turned away
 * long before it costs R2 much.
 */
export const DOWNLOADS_PER_DEVICE = { max: 60, windowMs: 10 * 60_000 };

/** `bytes=N-` or `bytes=N-M` (one range; suffix and multi-ranges are not something the agent asks for). */
function parseRange(header: string | undefined, size: number): { offset: number; length: number } | 'unsatisfiable' | null {
  if (!header) return null;
  const m = /^bytes=(\d+)-(\d*)$/.exec(header.trim());
  if (!m) return 'unsatisfiable';
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { offset: start, length: end - start + 1 };
}

/**
 * GET /agent/packages/:versionId — the bytes of a ready version of the device's own tenant.
 * The bytes are served as R2 holds them: the agent checks them against the signed manifest
 * (the ETag repeats its SHA-256) and refuses a mismatch, so the server need not trust R2.
 */
export const agentPackagesRoutes = new Hono<AppEnv>().get(
  '/:versionId',
  describeRoute({
    tags: ['agent'],
    summary: 'Download a package version (Authorization: Bearer <device token>; Range: bytes=N- resumes)',
    responses: {
      200: { description: 'the whole file' },
      206: { description: 'the requested range' },
      401: { description: 'bad token' },
      404: { description: 'no such ready version for this device' },
      416: { description: 'the range starts past the end' },
      429: { description: 'too many downloads from this device' },
    },
  }),
  valid('param', v.object({ versionId: Id })),
  async (c) => {
    const db = c.var.db;
    const device = await deviceFromToken(db, c.req.header('authorization'));
    await enforceRateLimits(db, [{ key: `package-download:device:${device.id}`, ...DOWNLOADS_PER_DEVICE }]);
    const version = await db
      .select({ r2Key: packageVersions.r2Key, size: packageVersions.size, sha256: packageVersions.sha256 })
      .from(packageVersions)
      .where(and(eq(packageVersions.id, c.req.valid('param').versionId), eq(packageVersions.tenantId, device.tenantId), eq(packageVersions.status, 'ready')))
      .get();
    if (!version?.r2Key || version.size === null || !version.sha256) throw notFound('package version');

    const range = parseRange(c.req.header('range'), version.size);
    if (range === 'unsatisfiable') {
      throw new ApiError(416, 'bad_request', `the range is outside the file's ${version.size} bytes`, undefined, { 'Content-Range': `bytes */${version.size}` });
    }
    const obj = await c.env.PACKAGES.get(version.r2Key, range ? { range } : undefined);
    if (!obj) throw notFound('package file');
    const headers = new Headers({
      'Content-Type': 'application/octet-stream',
      'Accept-Ranges': 'bytes',
      'Cache-Control': 'no-store',
      ETag: `"${version.sha256}"`,
    });
    if (!range) {
      headers.set('Content-Length', String(obj.size));
      return new Response(obj.body, { status: 200, headers });
    }
    // What R2 holds decides the answer's length, even if it no longer matches the manifest.
    const length = Math.max(0, Math.min(range.length, obj.size - range.offset));
    headers.set('Content-Length', String(length));
    headers.set('Content-Range', `bytes ${range.offset}-${range.offset + length - 1}/${obj.size}`);
    return new Response(obj.body, { status: 206, headers });
  },
);
