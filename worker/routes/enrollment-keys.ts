import { Hono } from 'hono';
import { describeRoute, resolver } from 'hono-openapi';
import * as v from 'valibot';
import { and, desc, eq } from 'drizzle-orm';
import type { AppEnv } from '../types';
import { clients, enrollmentKeys, sites } from '../../db/schema';
import { requireAuth } from '../middleware/auth';
import { valid } from '../lib/validate';
import { PageQuery, DEFAULT_LIMIT, toPage } from '../lib/pagination';
import { beforeId, idKey } from '../lib/list-query';
import { assertClientVisible, clientFilter, requireRole } from '../lib/roles';
import { notFound, badRequest } from '../lib/errors';
import { newId } from '../lib/ids';
import { randomSecret, sha256Hex } from '../lib/crypto';
import { auditInsert } from '../lib/audit';
import { installCommands, publicOrigin } from '../lib/install-commands';
import { CreateEnrollmentKey, EnrollmentKeyItem, InstallCommands } from '../../protocol/api/enrollment';

const IdParam = v.object({ id: v.pipe(v.string(), v.maxLength(64)) });
const Created = v.object({ key: v.string(), item: EnrollmentKeyItem, installCommands: InstallCommands });

function toItem(row: typeof enrollmentKeys.$inferSelect) {
  const { keyHash: _hash, tenantId: _tenant, ...item } = row;
  return item;
}

export const enrollmentKeysRoutes = new Hono<AppEnv>()
  .use('*', requireAuth)
  .get(
    '/',
    describeRoute({ tags: ['enrollment'], summary: 'List enrollment keys (newest first)', responses: { 200: { description: 'page of keys' } } }),
    valid('query', v.object(PageQuery)),
    async (c) => {
      const { auth, db } = c.var;
      const q = c.req.valid('query');
      const limit = q.limit ?? DEFAULT_LIMIT;
      const rows = await db
        .select()
        .from(enrollmentKeys)
        .where(
          and(
            eq(enrollmentKeys.tenantId, auth.tenantId),
            clientFilter(auth, enrollmentKeys.clientId),
            beforeId(q.cursor, enrollmentKeys.id),
          ),
        )
        .orderBy(desc(enrollmentKeys.id))
        .limit(limit + 1);
      const page = toPage(rows, limit, idKey);
      return c.json({ items: page.items.map(toItem), nextCursor: page.nextCursor });
    },
  )
  .post(
    '/',
    describeRoute({
      tags: ['enrollment'],
      summary: 'Create an enrollment key (technician+); the key is shown only in this response',
      responses: { 201: { description: 'created', content: { 'application/json': { schema: resolver(Created) } } } },
    }),
    valid('json', CreateEnrollmentKey),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'technician');
      const body = c.req.valid('json');
      assertClientVisible(auth, body.clientId, 'client');
      const site = await db
        .select({ id: sites.id, clientId: sites.clientId })
        .from(sites)
        .innerJoin(clients, eq(clients.id, sites.clientId))
        .where(and(eq(sites.id, body.siteId), eq(sites.tenantId, auth.tenantId), eq(clients.tenantId, auth.tenantId)))
        .get();
      if (!site) throw notFound('site');
      if (site.clientId !== body.clientId) {
        throw badRequest('site does not belong to that client', [{ path: 'siteId', message: 'site belongs to another client' }]);
      }
      const key = randomSecret('tek');
      const now = Date.now();
      const row = {
        id: newId('enr'),
        tenantId: auth.tenantId,
        clientId: body.clientId,
        siteId: body.siteId,
        name: body.name,
        keyHash: await sha256Hex(key),
        prefix: key.slice(0, 10),
        expiresAt: now + body.expiresInHours * 3600_000,
        maxUses: body.maxUses ?? null,
        uses: 0,
        revokedAt: null,
        createdBy: auth.userId,
        createdAt: now,
      };
      await db.batch([
        db.insert(enrollmentKeys).values(row),
        auditInsert(db, c, {
          action: 'enrollment_key.create',
          targetType: 'enrollment_key',
          targetId: row.id,
          detail: { name: row.name, clientId: row.clientId, siteId: row.siteId, expiresAt: row.expiresAt, maxUses: row.maxUses },
        }),
      ]);
      return c.json({ key, item: toItem(row), installCommands: installCommands(publicOrigin(c.env, c.req.url), key) }, 201);
    },
  )
  .delete(
    '/:id',
    describeRoute({ tags: ['enrollment'], summary: 'Revoke an enrollment key (technician+)', responses: { 204: { description: 'revoked' } } }),
    valid('param', IdParam),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'technician');
      const { id } = c.req.valid('param');
      const row = await db
        .select()
        .from(enrollmentKeys)
        .where(and(eq(enrollmentKeys.id, id), eq(enrollmentKeys.tenantId, auth.tenantId), clientFilter(auth, enrollmentKeys.clientId)))
        .get();
      if (!row) throw notFound('enrollment key');
      if (!row.revokedAt) {
        await db.batch([
          db.update(enrollmentKeys).set({ revokedAt: Date.now() }).where(eq(enrollmentKeys.id, id)),
          auditInsert(db, c, { action: 'enrollment_key.revoke', targetType: 'enrollment_key', targetId: id, detail: { name: row.name } }),
        ]);
      }
      return c.body(null, 204);
    },
  );
