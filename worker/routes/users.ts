import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import * as v from 'valibot';
import { and, eq } from 'drizzle-orm';
import { users } from '../../db/schema';
import { IdParam, SearchText } from '../../protocol/api/common';
import { CreateUserBody, UpdateUserBody, User, UserPage } from '../../protocol/api/users';
import type { AppEnv } from '../types';
import { requireAuth } from '../middleware/auth';
import { valid } from '../lib/validate';
import { forbidden } from '../lib/errors';
import { hasRole, requireRole, withinScope } from '../lib/roles';
import { hashPassword } from '../lib/crypto';
import { newId } from '../lib/ids';
import { auditInsert } from '../lib/audit';
import { DEFAULT_LIMIT, PageQuery, toPage } from '../lib/pagination';
import { afterName, byName, matches, nameKey } from '../lib/list-query';
import { assertClientsExist } from '../lib/client-ids';
import { assertPortalUserScope } from '../lib/portal/scope';
import { isUniqueViolation } from '../lib/sql-helpers';
import { errors, jsonBody, noContent } from '../lib/responses';
import { emailTaken, findUser, updateUser, type UserRow } from './user-update';

const ListQuery = v.object({ ...PageQuery, q: SearchText });

function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    clientIds: row.clientIds ?? null,
    createdAt: row.createdAt,
    lastLoginAt: row.lastLoginAt,
    disabledAt: row.disabledAt,
  };
}

const tags = ['users'];

export const usersRoutes = new Hono<AppEnv>()
  .use('*', requireAuth)
  .get(
    '/',
    describeRoute({
      tags,
      summary: 'List the tenant\'s users (admin+); `q` searches name and email',
      responses: { 200: jsonBody('a page of users, by name', UserPage), ...errors(400, 401, 403) },
    }),
    valid('query', ListQuery),
    async (c) => {
      const auth = c.var.auth;
      requireRole(auth, 'admin');
      const { cursor, limit = DEFAULT_LIMIT, q } = c.req.valid('query');
      const rows = await c.var.db
        .select()
        .from(users)
        .where(and(eq(users.tenantId, auth.tenantId), matches(q, users.name, users.email), afterName(cursor, users.name, users.id)))
        .orderBy(...byName(users.name, users.id))
        .limit(limit + 1)
        .all();
      const page = toPage(rows, limit, nameKey);
      return c.json({ items: page.items.map(toUser), nextCursor: page.nextCursor }, 200);
    },
  )
  .post(
    '/',
    describeRoute({
      tags,
      summary: 'Create a user (admin+), with a role and clients no broader than the creator\'s',
      description: 'Only owners create owners. Emails are unique across the installation (409).',
      responses: { 201: jsonBody('created', User), ...errors(400, 401, 403, 409) },
    }),
    valid('json', CreateUserBody),
    async (c) => {
      const auth = c.var.auth;
      const db = c.var.db;
      requireRole(auth, 'admin');
      const body = c.req.valid('json');
      if (!withinScope(auth, { role: body.role, clientIds: body.clientIds })) {
        throw forbidden('you cannot grant more than your own role and clients');
      }
      assertPortalUserScope(body);
      await assertClientsExist(db, auth.tenantId, body.clientIds);
      const row: UserRow = {
        id: newId('usr'),
        tenantId: auth.tenantId,
        email: body.email,
        name: body.name,
        passwordHash: await hashPassword(body.password),
        role: body.role,
        clientIds: body.clientIds,
        disabledAt: null,
        createdAt: Date.now(),
        lastLoginAt: null,
      };
      try {
        await db.batch([
          db.insert(users).values(row),
          auditInsert(db, c, {
            action: 'user.create',
            targetType: 'user',
            targetId: row.id,
            detail: { email: row.email, role: row.role, clientIds: row.clientIds },
          }),
        ]);
      } catch (err) {
        if (isUniqueViolation(err)) throw emailTaken();
        throw err;
      }
      return c.json(toUser(row), 201);
    },
  )
  .get(
    '/:id',
    describeRoute({
      tags,
      summary: 'One user: anyone may read themselves, admins anyone of the tenant',
      responses: { 200: jsonBody('the user', User), ...errors(401, 403, 404) },
    }),
    valid('param', IdParam),
    async (c) => {
      const auth = c.var.auth;
      const row = await findUser(c.var.db, auth.tenantId, c.req.valid('param').id);
      if (row.id !== auth.userId && !hasRole(auth, 'admin')) throw forbidden('only admins can read other users');
      return c.json(toUser(row), 200);
    },
  )
  .patch(
    '/:id',
    describeRoute({
      tags,
      summary: 'Change a user',
      description:
        'Anyone may change their own name, email and password (with `currentPassword`). Role, clients and ' +
        '`disabled` are for admins, within their own scope; the last active owner cannot be demoted or disabled; ' +
        'nobody can disable themselves. Disabling ends the user\'s sessions.',
      responses: { 200: jsonBody('the changed user', User), ...errors(400, 401, 403, 404, 409) },
    }),
    valid('param', IdParam),
    valid('json', UpdateUserBody),
    async (c) => c.json(toUser(await updateUser(c, c.req.valid('param').id, c.req.valid('json'))), 200),
  )
  .delete(
    '/:id',
    describeRoute({
      tags,
      summary: 'Disable a user (admin+): they can no longer sign in and their sessions end',
      description: 'Users are disabled, never erased, so the audit log keeps naming them.',
      responses: { 204: noContent, ...errors(401, 403, 404, 409) },
    }),
    valid('param', IdParam),
    async (c) => {
      requireRole(c.var.auth, 'admin');
      await updateUser(c, c.req.valid('param').id, { disabled: true });
      return c.body(null, 204);
    },
  );
