import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import * as v from 'valibot';
import { and, eq, sql, type SQL } from 'drizzle-orm';
import { clients, devices, enrollmentKeys, sites } from '../../db/schema';
import { IdParam, SearchText } from '../../protocol/api/common';
import { Client, ClientPage, CreateClientBody, UpdateClientBody } from '../../protocol/api/clients';
import type { AppEnv, AuthContext, Db } from '../types';
import { requireAuth } from '../middleware/auth';
import { valid } from '../lib/validate';
import { ApiError, forbidden, notFound } from '../lib/errors';
import { clientFilter, requireRole } from '../lib/roles';
import { newId } from '../lib/ids';
import { auditInsert } from '../lib/audit';
import { DEFAULT_LIMIT, PageQuery, toPage } from '../lib/pagination';
import { afterName, byName, matches, nameKey } from '../lib/list-query';
import { auditWhere, changes, qualified } from '../lib/sql-helpers';
import { errors, jsonBody, noContent } from '../lib/responses';
import { scopeLeftovers } from '../lib/scope-cleanup';
import { licences } from '../../db/inventory-schema';

const ListQuery = v.object({ ...PageQuery, q: SearchText });

const clientColumns = {
  id: clients.id,
  name: clients.name,
  notes: clients.notes,
  createdAt: clients.createdAt,
  deviceCount: sql<number>`(SELECT COUNT(*) FROM devices d WHERE d.client_id = ${qualified(clients.id)} AND d.revoked_at IS NULL)`.mapWith(Number),
};

/** The tenant's clients this caller may see; any other id is "not found". */
function visible(auth: AuthContext): SQL {
  return and(eq(clients.tenantId, auth.tenantId), clientFilter(auth, clients.id))!;
}

async function findClient(db: Db, auth: AuthContext, id: string): Promise<Client> {
  const row = await db.select(clientColumns).from(clients).where(and(visible(auth), eq(clients.id, id))).get();
  if (!row) throw notFound('client');
  return row;
}

/** A client can go only once nothing hangs off it; checked again inside the delete. */
const empty = (id: string) =>
  sql`NOT EXISTS (SELECT 1 FROM sites s WHERE s.client_id = ${id}) AND NOT EXISTS (SELECT 1 FROM devices d WHERE d.client_id = ${id})`;

async function dependents(db: Db, id: string) {
  const row = await db
    .select({
      sites: sql<number>`(SELECT COUNT(*) FROM sites s WHERE s.client_id = ${id})`.mapWith(Number),
      devices: sql<number>`(SELECT COUNT(*) FROM devices d WHERE d.client_id = ${id})`.mapWith(Number),
    })
    .from(clients)
    .where(eq(clients.id, id))
    .get();
  return row ?? { sites: 0, devices: 0 };
}

const tags = ['clients'];
const READ = 'Technician or higher.';
const WRITE = 'Admin or higher.';

export const clientsRoutes = new Hono<AppEnv>()
  .use('*', requireAuth)
  .get(
    '/',
    describeRoute({
      tags,
      summary: 'List clients by name; `q` searches names',
      description: `${READ} Client-limited callers see only their clients.`,
      responses: { 200: jsonBody('a page of clients', ClientPage), ...errors(400, 401, 403) },
    }),
    valid('query', ListQuery),
    async (c) => {
      const auth = c.var.auth;
      requireRole(auth, 'readonly');
      const { cursor, limit = DEFAULT_LIMIT, q } = c.req.valid('query');
      const rows = await c.var.db
        .select(clientColumns)
        .from(clients)
        .where(and(visible(auth), matches(q, clients.name), afterName(cursor, clients.name, clients.id)))
        .orderBy(...byName(clients.name, clients.id))
        .limit(limit + 1)
        .all();
      return c.json(toPage(rows, limit, nameKey), 200);
    },
  )
  .post(
    '/',
    describeRoute({
      tags,
      summary: 'Create a client',
      description: `${WRITE} Client-limited admins cannot create clients (they could not see them).`,
      responses: { 201: jsonBody('created', Client), ...errors(400, 401, 403) },
    }),
    valid('json', CreateClientBody),
    async (c) => {
      const auth = c.var.auth;
      const db = c.var.db;
      requireRole(auth, 'admin');
      if (auth.clientIds !== null) throw forbidden('client-limited users cannot create clients');
      const body = c.req.valid('json');
      const row = { id: newId('cli'), tenantId: auth.tenantId, name: body.name, notes: body.notes ?? null, createdAt: Date.now() };
      await db.batch([
        db.insert(clients).values(row),
        auditInsert(db, c, { action: 'client.create', targetType: 'client', targetId: row.id, detail: { name: row.name } }),
      ]);
      return c.json({ id: row.id, name: row.name, notes: row.notes, createdAt: row.createdAt, deviceCount: 0 }, 201);
    },
  )
  .get(
    '/:id',
    describeRoute({
      tags,
      summary: 'One client',
      description: READ,
      responses: { 200: jsonBody('the client', Client), ...errors(401, 403, 404) },
    }),
    valid('param', IdParam),
    async (c) => {
      requireRole(c.var.auth, 'readonly');
      return c.json(await findClient(c.var.db, c.var.auth, c.req.valid('param').id), 200);
    },
  )
  .patch(
    '/:id',
    describeRoute({
      tags,
      summary: 'Rename a client or change its notes',
      description: WRITE,
      responses: { 200: jsonBody('the changed client', Client), ...errors(400, 401, 403, 404) },
    }),
    valid('param', IdParam),
    valid('json', UpdateClientBody),
    async (c) => {
      const auth = c.var.auth;
      const db = c.var.db;
      requireRole(auth, 'admin');
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const before = await findClient(db, auth, id);
      const set: { name?: string; notes?: string | null } = {};
      if (body.name !== undefined && body.name !== before.name) set.name = body.name;
      if (body.notes !== undefined && body.notes !== before.notes) set.notes = body.notes;
      if (Object.keys(set).length === 0) return c.json(before, 200);
      await db.batch([
        db.update(clients).set(set).where(and(visible(auth), eq(clients.id, id))),
        auditInsert(db, c, { action: 'client.update', targetType: 'client', targetId: id, detail: { fields: Object.keys(set), ...(set.name && { name: set.name }) } }),
      ]);
      return c.json(await findClient(db, auth, id), 200);
    },
  )
  .delete(
    '/:id',
    describeRoute({
      tags,
      summary: 'Delete a client that has no sites and no devices left',
      description: `${WRITE} A client that still has sites or devices answers 409.`,
      responses: { 204: noContent, ...errors(401, 403, 404, 409) },
    }),
    valid('param', IdParam),
    async (c) => {
      const auth = c.var.auth;
      const db = c.var.db;
      requireRole(auth, 'admin');
      const { id } = c.req.valid('param');
      const client = await findClient(db, auth, id);
      const guard = empty(id);
      const results = await db.batch([
        auditWhere(db, c, { action: 'client.delete', targetType: 'client', targetId: id, detail: { name: client.name } }, guard),
        db.delete(enrollmentKeys).where(and(eq(enrollmentKeys.clientId, id), eq(enrollmentKeys.tenantId, auth.tenantId), guard)),
        // The client's licences (seats, sealed keys) leave with it, like its enrollment keys.
        db.delete(licences).where(and(eq(licences.clientId, id), eq(licences.tenantId, auth.tenantId), guard)),
        ...scopeLeftovers(db, auth.tenantId, 'client', id, guard),
        db.delete(clients).where(and(visible(auth), eq(clients.id, id), guard)),
      ]);
      // The client's own row is the batch's last statement.
      if (changes(results[results.length - 1]) !== 1) {
        const left = await dependents(db, id);
        throw new ApiError(
          409,
          'conflict',
          `client "${client.name}" still has ${left.sites} site(s) and ${left.devices} device(s); remove or move them first`,
        );
      }
      return c.body(null, 204);
    },
  );
