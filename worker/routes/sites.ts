import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import * as v from 'valibot';
import { and, eq, sql, type SQL } from 'drizzle-orm';
import { clients, enrollmentKeys, sites } from '../../db/schema';
import { Id, IdParam, SearchText } from '../../protocol/api/common';
import { CreateSiteBody, Site, SitePage, UpdateSiteBody } from '../../protocol/api/sites';
import type { AppEnv, AuthContext, Db } from '../types';
import { requireAuth } from '../middleware/auth';
import { valid } from '../lib/validate';
import { ApiError, notFound } from '../lib/errors';
import { clientFilter, requireRole } from '../lib/roles';
import { newId } from '../lib/ids';
import { auditInsert } from '../lib/audit';
import { DEFAULT_LIMIT, PageQuery, toPage } from '../lib/pagination';
import { afterName, byName, matches, nameKey } from '../lib/list-query';
import { auditWhere, changes, qualified } from '../lib/sql-helpers';
import { errors, jsonBody, noContent } from '../lib/responses';
import { scopeLeftovers } from '../lib/scope-cleanup';

const ListQuery = v.object({ ...PageQuery, clientId: v.optional(Id), q: SearchText });

const siteColumns = {
  id: sites.id,
  clientId: sites.clientId,
  name: sites.name,
  address: sites.address,
  createdAt: sites.createdAt,
  deviceCount: sql<number>`(SELECT COUNT(*) FROM devices d WHERE d.site_id = ${qualified(sites.id)} AND d.revoked_at IS NULL)`.mapWith(Number),
};

/** Sites of the tenant under clients this caller may see. */
function visible(auth: AuthContext): SQL {
  return and(eq(sites.tenantId, auth.tenantId), clientFilter(auth, sites.clientId))!;
}

async function findSite(db: Db, auth: AuthContext, id: string): Promise<Site> {
  const row = await db.select(siteColumns).from(sites).where(and(visible(auth), eq(sites.id, id))).get();
  if (!row) throw notFound('site');
  return row;
}

const noDevices = (id: string) => sql`NOT EXISTS (SELECT 1 FROM devices d WHERE d.site_id = ${id})`;

const tags = ['sites'];
const READ = 'Technician or higher; client-limited callers see only their clients\' sites.';
const WRITE = 'Admin or higher, for clients the caller may see.';

export const sitesRoutes = new Hono<AppEnv>()
  .use('*', requireAuth)
  .get(
    '/',
    describeRoute({
      tags,
      summary: 'List sites by name, optionally of one client; `q` searches names',
      description: READ,
      responses: { 200: jsonBody('a page of sites', SitePage), ...errors(400, 401, 403) },
    }),
    valid('query', ListQuery),
    async (c) => {
      const auth = c.var.auth;
      requireRole(auth, 'readonly');
      const { cursor, limit = DEFAULT_LIMIT, clientId, q } = c.req.valid('query');
      const rows = await c.var.db
        .select(siteColumns)
        .from(sites)
        .where(
          and(
            visible(auth),
            clientId ? eq(sites.clientId, clientId) : undefined,
            matches(q, sites.name),
            afterName(cursor, sites.name, sites.id),
          ),
        )
        .orderBy(...byName(sites.name, sites.id))
        .limit(limit + 1)
        .all();
      return c.json(toPage(rows, limit, nameKey), 200);
    },
  )
  .post(
    '/',
    describeRoute({
      tags,
      summary: 'Create a site under a client',
      description: `${WRITE} An unknown or invisible client answers 404.`,
      responses: { 201: jsonBody('created', Site), ...errors(400, 401, 403, 404) },
    }),
    valid('json', CreateSiteBody),
    async (c) => {
      const auth = c.var.auth;
      const db = c.var.db;
      requireRole(auth, 'admin');
      const body = c.req.valid('json');
      const client = await db
        .select({ id: clients.id })
        .from(clients)
        .where(and(eq(clients.tenantId, auth.tenantId), eq(clients.id, body.clientId), clientFilter(auth, clients.id)))
        .get();
      if (!client) throw notFound('client');
      const row = {
        id: newId('sit'),
        tenantId: auth.tenantId,
        clientId: client.id,
        name: body.name,
        address: body.address ?? null,
        createdAt: Date.now(),
      };
      await db.batch([
        db.insert(sites).values(row),
        auditInsert(db, c, { action: 'site.create', targetType: 'site', targetId: row.id, detail: { name: row.name, clientId: row.clientId } }),
      ]);
      const { tenantId: _tenant, ...site } = row;
      return c.json({ ...site, deviceCount: 0 }, 201);
    },
  )
  .get(
    '/:id',
    describeRoute({ tags, summary: 'One site', description: READ, responses: { 200: jsonBody('the site', Site), ...errors(401, 403, 404) } }),
    valid('param', IdParam),
    async (c) => {
      requireRole(c.var.auth, 'readonly');
      return c.json(await findSite(c.var.db, c.var.auth, c.req.valid('param').id), 200);
    },
  )
  .patch(
    '/:id',
    describeRoute({
      tags,
      summary: 'Rename a site or change its address',
      description: WRITE,
      responses: { 200: jsonBody('the changed site', Site), ...errors(400, 401, 403, 404) },
    }),
    valid('param', IdParam),
    valid('json', UpdateSiteBody),
    async (c) => {
      const auth = c.var.auth;
      const db = c.var.db;
      requireRole(auth, 'admin');
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const before = await findSite(db, auth, id);
      const set: { name?: string; address?: string | null } = {};
      if (body.name !== undefined && body.name !== before.name) set.name = body.name;
      if (body.address !== undefined && body.address !== before.address) set.address = body.address;
      if (Object.keys(set).length === 0) return c.json(before, 200);
      await db.batch([
        db.update(sites).set(set).where(and(visible(auth), eq(sites.id, id))),
        auditInsert(db, c, { action: 'site.update', targetType: 'site', targetId: id, detail: { fields: Object.keys(set) } }),
      ]);
      return c.json(await findSite(db, auth, id), 200);
    },
  )
  .delete(
    '/:id',
    describeRoute({
      tags,
      summary: 'Delete a site that has no devices left, with its enrollment keys',
      description: `${WRITE} A site that still has devices answers 409.`,
      responses: { 204: noContent, ...errors(401, 403, 404, 409) },
    }),
    valid('param', IdParam),
    async (c) => {
      const auth = c.var.auth;
      const db = c.var.db;
      requireRole(auth, 'admin');
      const { id } = c.req.valid('param');
      const site = await findSite(db, auth, id);
      const guard = noDevices(id);
      const [, , , , deleted] = await db.batch([
        auditWhere(db, c, { action: 'site.delete', targetType: 'site', targetId: id, detail: { name: site.name, clientId: site.clientId } }, guard),
        // Keys of a deleted site could only enroll devices into nowhere.
        db.delete(enrollmentKeys).where(and(eq(enrollmentKeys.siteId, id), eq(enrollmentKeys.tenantId, auth.tenantId), guard)),
        ...scopeLeftovers(db, auth.tenantId, 'site', id, guard),
        db.delete(sites).where(and(visible(auth), eq(sites.id, id), guard)),
      ]);
      if (changes(deleted) !== 1) {
        throw new ApiError(409, 'conflict', `site "${site.name}" still has devices; move or remove them first`);
      }
      return c.body(null, 204);
    },
  );
