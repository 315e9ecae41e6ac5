import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import * as v from 'valibot';
import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import { checkSetAssignments, checkSets, SCOPE_TYPES, type ScopeType } from '../../db/schema';
import { Id, IdParam } from '../../protocol/api/common';
import { Assignment, AssignmentPage, CreateAssignmentBody } from '../../protocol/api/check-sets';
import type { AppEnv, AuthContext, Db } from '../types';
import { requireAuth } from '../middleware/auth';
import { valid } from '../lib/validate';
import { ApiError, notFound } from '../lib/errors';
import { requireRole } from '../lib/roles';
import { newId } from '../lib/ids';
import { DEFAULT_LIMIT, PageQuery, toPage } from '../lib/pagination';
import { beforeId, idKey } from '../lib/list-query';
import { auditWhere, changes, insertWhere, isUniqueViolation } from '../lib/sql-helpers';
import { errors, jsonBody } from '../lib/responses';
import { assertScopeTarget, assignmentAt, CROSS_CLIENT_SCOPES, devicesInScope, requireAllClients, scopeNameSql, scopeVisible } from '../lib/check-targets';
import { RECOMPILE_DOC, RecompileInfoSchema, recompileAfterChange } from '../lib/check-compiler';

const ListQuery = v.object({
  ...PageQuery,
  checkSetId: v.optional(Id),
  scopeType: v.optional(v.picklist(SCOPE_TYPES)),
  scopeId: v.optional(v.pipe(v.string(), v.maxLength(64))),
});
const AssignmentAnswer = v.object({ ...Assignment.entries, recompile: RecompileInfoSchema });
const Deleted = v.object({ id: v.string(), recompile: RecompileInfoSchema });

const a = checkSetAssignments;
const columns = {
  id: a.id,
  checkSetId: a.checkSetId,
  checkSetName: checkSets.name,
  scopeType: a.scopeType,
  scopeId: a.scopeId,
  scopeName: scopeNameSql(sql`${a.tenantId}`, sql`${a.scopeType}`, sql`${a.scopeId}`),
  createdAt: a.createdAt,
};

/** Assignments of the tenant the caller may see. */
const visible = (auth: AuthContext): SQL => and(eq(a.tenantId, auth.tenantId), scopeVisible(auth, sql`${a.scopeType}`, sql`${a.scopeId}`))!;

function select(db: Db) {
  return db.select(columns).from(a).innerJoin(checkSets, eq(checkSets.id, a.checkSetId));
}

async function findAssignment(db: Db, auth: AuthContext, id: string): Promise<Assignment> {
  const row = await select(db)
    .where(and(visible(auth), eq(a.id, id)))
    .get();
  if (!row) throw notFound('assignment');
  return row;
}

const duplicate = () => new ApiError(409, 'conflict', 'this check set is already assigned to this scope');

const tags = ['monitoring'];
const READ = 'Any role; a client-limited caller sees the assignments to its clients, their sites and devices, and the cross-client ones (tenant, group, tag).';
const WRITE =
  'Admin or higher. A client-limited caller may assign only to clients, sites and devices it can see; tenant, group and tag scopes need a caller not limited to clients (else 403).';

export const assignmentsRoutes = new Hono<AppEnv>()
  .use('*', requireAuth)
  .get(
    '/',
    describeRoute({
      tags,
      summary: 'List check-set assignments, newest first; filter by `checkSetId`, `scopeType` and `scopeId`',
      description: READ,
      responses: { 200: jsonBody('a page of assignments', AssignmentPage), ...errors(400, 401, 403) },
    }),
    valid('query', ListQuery),
    async (c) => {
      const auth = c.var.auth;
      requireRole(auth, 'readonly');
      const { cursor, limit = DEFAULT_LIMIT, checkSetId, scopeType, scopeId } = c.req.valid('query');
      const rows = await select(c.var.db)
        .where(
          and(
            visible(auth),
            checkSetId ? eq(a.checkSetId, checkSetId) : undefined,
            scopeType ? eq(a.scopeType, scopeType) : undefined,
            scopeId ? eq(a.scopeId, scopeId) : undefined,
            beforeId(cursor, a.id),
          ),
        )
        .orderBy(desc(a.id))
        .limit(limit + 1)
        .all();
      return c.json(toPage(rows, limit, idKey), 200);
    },
  )
  .post(
    '/',
    describeRoute({
      tags,
      summary: 'Assign a check set to the tenant, a client, site, group, tag or device',
      description: `${WRITE} The check set and the client, site, group or device must be of the tenant (else 404); a tag needs no device yet. The same set twice on one scope answers 409. ${RECOMPILE_DOC}`,
      responses: { 201: jsonBody('created, and the recompile it caused', AssignmentAnswer), ...errors(400, 401, 403, 404, 409) },
    }),
    valid('json', CreateAssignmentBody),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'admin');
      const body = c.req.valid('json');
      const scopeType = body.scopeType as ScopeType;
      const scopeId = body.scopeId ?? null;
      const set = await db
        .select({ id: checkSets.id, name: checkSets.name })
        .from(checkSets)
        .where(and(eq(checkSets.tenantId, auth.tenantId), eq(checkSets.id, body.checkSetId)))
        .get();
      if (!set) throw notFound('check set');
      await assertScopeTarget(db, auth, scopeType, scopeId);
      const now = Date.now();
      const row = { id: newId('csa', now), tenantId: auth.tenantId, checkSetId: set.id, scopeType, scopeId, createdBy: auth.actorId, createdAt: now };
      // Written only while the set exists and no twin does (the unique index cannot see two NULL tenant scopes).
      const guard = and(
        sql`EXISTS (SELECT 1 FROM check_sets s WHERE s.id = ${set.id} AND s.tenant_id = ${auth.tenantId})`,
        sql`NOT EXISTS (SELECT 1 FROM check_set_assignments x WHERE x.check_set_id = ${set.id} AND x.tenant_id = ${auth.tenantId} AND x.scope_type = ${scopeType} AND x.scope_id IS ${scopeId})`,
      )!;
      let inserted: unknown;
      try {
        [inserted] = await db.batch([
          insertWhere(db, checkSetAssignments, row, guard),
          auditWhere(
            db,
            c,
            { action: 'check_set.assign', targetType: 'check_set', targetId: set.id, detail: { assignmentId: row.id, scopeType, scopeId } },
            sql`EXISTS (SELECT 1 FROM check_set_assignments x WHERE x.id = ${row.id})`,
          ),
        ]);
      } catch (err) {
        if (isUniqueViolation(err)) throw duplicate();
        throw err;
      }
      if (changes(inserted) !== 1) {
        const twin = await db.select({ id: a.id }).from(a).where(assignmentAt(auth.tenantId, set.id, scopeType, scopeId)).get();
        if (twin) throw duplicate();
        throw notFound('check set');
      }
      const recompile = await recompileAfterChange(c, auth.tenantId, await devicesInScope(db, auth.tenantId, scopeType, scopeId));
      return c.json({ ...(await findAssignment(db, auth, row.id)), recompile }, 201);
    },
  )
  .get(
    '/:id',
    describeRoute({ tags, summary: 'One assignment', description: READ, responses: { 200: jsonBody('the assignment', Assignment), ...errors(401, 403, 404) } }),
    valid('param', IdParam),
    async (c) => {
      requireRole(c.var.auth, 'readonly');
      return c.json(await findAssignment(c.var.db, c.var.auth, c.req.valid('param').id), 200);
    },
  )
  .delete(
    '/:id',
    describeRoute({
      tags,
      summary: 'Remove an assignment',
      description: `${WRITE} ${RECOMPILE_DOC}`,
      responses: { 200: jsonBody('removed, and the recompile it caused', Deleted), ...errors(401, 403, 404) },
    }),
    valid('param', IdParam),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'admin');
      const { id } = c.req.valid('param');
      const found = await findAssignment(db, auth, id);
      if (CROSS_CLIENT_SCOPES.includes(found.scopeType)) requireAllClients(auth, `a ${found.scopeType} scope`);
      const affected = await devicesInScope(db, auth.tenantId, found.scopeType, found.scopeId);
      const mine = and(eq(a.tenantId, auth.tenantId), eq(a.id, id))!;
      const [, deleted] = await db.batch([
        auditWhere(
          db,
          c,
          { action: 'check_set.unassign', targetType: 'check_set', targetId: found.checkSetId, detail: { assignmentId: id, scopeType: found.scopeType, scopeId: found.scopeId } },
          sql`EXISTS (SELECT 1 FROM check_set_assignments x WHERE x.id = ${id} AND x.tenant_id = ${auth.tenantId})`,
        ),
        db.delete(a).where(mine),
      ]);
      if (changes(deleted) !== 1) throw notFound('assignment');
      const recompile = await recompileAfterChange(c, auth.tenantId, affected);
      return c.json({ id, recompile }, 200);
    },
  );
