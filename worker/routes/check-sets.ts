import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import * as v from 'valibot';
import { and, eq, sql, type SQL } from 'drizzle-orm';
import { checkSetAssignments, checkSets } from '../../db/schema';
import { IdParam, SearchText } from '../../protocol/api/common';
import { CheckSet, CheckSetPage, CreateCheckSetBody, UpdateCheckSetBody } from '../../protocol/api/check-sets';
import type { CheckDef } from '../../protocol/checks';
import type { AppEnv, AuthContext, Db } from '../types';
import { requireAuth } from '../middleware/auth';
import { valid } from '../lib/validate';
import { badRequest, notFound } from '../lib/errors';
import { requireRole } from '../lib/roles';
import { newId } from '../lib/ids';
import { auditInsert } from '../lib/audit';
import { DEFAULT_LIMIT, PageQuery, toPage } from '../lib/pagination';
import { afterName, byName, matches, nameKey } from '../lib/list-query';
import { auditWhere, changes, insertWhere, qualified } from '../lib/sql-helpers';
import { errors, jsonBody } from '../lib/responses';
import { devicesOfCheckSet, requireAllClients, scopeVisible } from '../lib/check-targets';
import { canonicalJson, RECOMPILE_DOC, RecompileInfoSchema, recompileAfterChange } from '../lib/check-compiler';
import { policyExists } from '../lib/escalation';

const ListQuery = v.object({ ...PageQuery, q: SearchText });
const Recompiled = v.object({ recompile: RecompileInfoSchema });
const CheckSetAnswer = v.object({ ...CheckSet.entries, ...Recompiled.entries });
const Deleted = v.object({ id: v.string(), ...Recompiled.entries });

/** Assignments are counted as the caller may see them (a client-limited caller: its clients' and the cross-client ones). */
function setColumns(auth: AuthContext) {
  const visible = scopeVisible(auth, sql`a.scope_type`, sql`a.scope_id`) ?? sql`1 = 1`;
  return {
    id: checkSets.id,
    name: checkSets.name,
    description: checkSets.description,
    checks: checkSets.checks,
    escalationPolicyId: checkSets.escalationPolicyId,
    createdAt: checkSets.createdAt,
    updatedAt: checkSets.updatedAt,
    assignmentCount: sql<number>`(SELECT COUNT(*) FROM check_set_assignments a WHERE a.check_set_id = ${qualified(checkSets.id)} AND a.tenant_id = ${qualified(checkSets.tenantId)} AND ${visible})`.mapWith(Number),
  };
}

type SetRow = Omit<CheckSet, 'checks'> & { checks: unknown[] };
const toCheckSet = (row: SetRow): CheckSet => ({ ...row, checks: row.checks as CheckDef[] });

const inTenant = (auth: AuthContext, id: string): SQL => and(eq(checkSets.tenantId, auth.tenantId), eq(checkSets.id, id))!;

async function findSet(db: Db, auth: AuthContext, id: string): Promise<CheckSet> {
  const row = await db.select(setColumns(auth)).from(checkSets).where(inTenant(auth, id)).get();
  if (!row) throw notFound('check set');
  return toCheckSet(row);
}

const unknownPolicy = () => badRequest('unknown escalation policy', [{ path: 'escalationPolicyId', message: 'no such escalation policy' }]);

const tags = ['monitoring'];
const READ = 'Any role.';
const WRITE = 'Admin or higher, not limited to clients (a check set can apply to every client).';

export const checkSetsRoutes = new Hono<AppEnv>()
  .use('*', requireAuth)
  .get(
    '/',
    describeRoute({
      tags,
      summary: 'List check sets by name, with how many assignments each has; `q` searches names',
      description: READ,
      responses: { 200: jsonBody('a page of check sets', CheckSetPage), ...errors(400, 401, 403) },
    }),
    valid('query', ListQuery),
    async (c) => {
      const auth = c.var.auth;
      requireRole(auth, 'readonly');
      const { cursor, limit = DEFAULT_LIMIT, q } = c.req.valid('query');
      const rows = await c.var.db
        .select(setColumns(auth))
        .from(checkSets)
        .where(and(eq(checkSets.tenantId, auth.tenantId), matches(q, checkSets.name), afterName(cursor, checkSets.name, checkSets.id)))
        .orderBy(...byName(checkSets.name, checkSets.id))
        .limit(limit + 1)
        .all();
      const page = toPage(rows, limit, nameKey);
      return c.json({ items: page.items.map(toCheckSet), nextCursor: page.nextCursor }, 200);
    },
  )
  .post(
    '/',
    describeRoute({
      tags,
      summary: 'Create a check set',
      description: `${WRITE} Every check is validated (a pattern that does not compile, a threshold out of the metric's range or an unknown metric answers 400); \`escalationPolicyId\` must name a policy of the tenant (else 400).`,
      responses: { 201: jsonBody('created', CheckSet), ...errors(400, 401, 403) },
    }),
    valid('json', CreateCheckSetBody),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'admin');
      requireAllClients(auth, 'a check set');
      const body = c.req.valid('json');
      const now = Date.now();
      const row = {
        id: newId('chk', now),
        tenantId: auth.tenantId,
        name: body.name,
        description: body.description ?? null,
        checks: body.checks,
        escalationPolicyId: body.escalationPolicyId ?? null,
        createdBy: auth.actorId,
        createdAt: now,
        updatedAt: now,
      };
      const entry = {
        action: 'check_set.create',
        targetType: 'check_set',
        targetId: row.id,
        detail: { name: row.name, checks: row.checks.length, escalationPolicyId: row.escalationPolicyId },
      };
      if (row.escalationPolicyId) {
        // The policy must still exist when the row is written (a racing delete cannot leave it dangling).
        const guard = policyExists(auth.tenantId, row.escalationPolicyId);
        const [inserted] = await db.batch([insertWhere(db, checkSets, row, guard), auditWhere(db, c, entry, guard)]);
        if (changes(inserted) !== 1) throw unknownPolicy();
      } else {
        await db.batch([db.insert(checkSets).values(row), auditInsert(db, c, entry)]);
      }
      return c.json(await findSet(db, auth, row.id), 201);
    },
  )
  .get(
    '/:id',
    describeRoute({ tags, summary: 'One check set', description: READ, responses: { 200: jsonBody('the check set', CheckSet), ...errors(401, 403, 404) } }),
    valid('param', IdParam),
    async (c) => {
      requireRole(c.var.auth, 'readonly');
      return c.json(await findSet(c.var.db, c.var.auth, c.req.valid('param').id), 200);
    },
  )
  .patch(
    '/:id',
    describeRoute({
      tags,
      summary: 'Change a check set (its checks are replaced as a whole)',
      description: `${WRITE} ${RECOMPILE_DOC}`,
      responses: { 200: jsonBody('the changed set, and the recompile it caused', CheckSetAnswer), ...errors(400, 401, 403, 404) },
    }),
    valid('param', IdParam),
    valid('json', UpdateCheckSetBody),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'admin');
      requireAllClients(auth, 'a check set');
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const before = await findSet(db, auth, id);
      const set: Partial<typeof checkSets.$inferInsert> = {};
      if (body.name !== undefined && body.name !== before.name) set.name = body.name;
      if (body.description !== undefined && body.description !== before.description) set.description = body.description;
      if (body.checks !== undefined && canonicalJson(body.checks) !== canonicalJson(before.checks)) set.checks = body.checks;
      if (body.escalationPolicyId !== undefined && body.escalationPolicyId !== before.escalationPolicyId) set.escalationPolicyId = body.escalationPolicyId;
      const fields = Object.keys(set);
      if (fields.length === 0) return c.json({ ...before, recompile: { devices: 0, deferred: false } }, 200);
      const guard = set.escalationPolicyId ? policyExists(auth.tenantId, set.escalationPolicyId) : sql`1 = 1`;
      const [, updated] = await db.batch([
        auditWhere(db, c, { action: 'check_set.update', targetType: 'check_set', targetId: id, detail: { fields } }, and(guard, sql`EXISTS (SELECT 1 FROM check_sets WHERE id = ${id} AND tenant_id = ${auth.tenantId})`)!),
        db
          .update(checkSets)
          .set({ ...set, updatedAt: Date.now() })
          .where(and(inTenant(auth, id), guard)),
      ]);
      if (changes(updated) !== 1) {
        await findSet(db, auth, id); // 404 if deleted meanwhile
        throw unknownPolicy();
      }
      // The description travels nowhere; anything else changes what the devices run.
      const affects = fields.some((f) => f !== 'description');
      const recompile = affects
        ? await recompileAfterChange(c, auth.tenantId, await devicesOfCheckSet(db, auth.tenantId, id))
        : { devices: 0, deferred: false };
      return c.json({ ...(await findSet(db, auth, id)), recompile }, 200);
    },
  )
  .delete(
    '/:id',
    describeRoute({
      tags,
      summary: 'Delete a check set and its assignments',
      description: `${WRITE} ${RECOMPILE_DOC}`,
      responses: { 200: jsonBody('deleted, and the recompile it caused', Deleted), ...errors(401, 403, 404) },
    }),
    valid('param', IdParam),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'admin');
      requireAllClients(auth, 'a check set');
      const { id } = c.req.valid('param');
      const set = await findSet(db, auth, id);
      // Covered devices are found before the assignments go.
      const affected = await devicesOfCheckSet(db, auth.tenantId, id);
      const [, , deleted] = await db.batch([
        auditWhere(
          db,
          c,
          { action: 'check_set.delete', targetType: 'check_set', targetId: id, detail: { name: set.name } },
          sql`EXISTS (SELECT 1 FROM check_sets WHERE id = ${id} AND tenant_id = ${auth.tenantId})`,
        ),
        db.delete(checkSetAssignments).where(and(eq(checkSetAssignments.tenantId, auth.tenantId), eq(checkSetAssignments.checkSetId, id))),
        db.delete(checkSets).where(inTenant(auth, id)),
      ]);
      if (changes(deleted) !== 1) throw notFound('check set');
      const recompile = await recompileAfterChange(c, auth.tenantId, affected);
      return c.json({ id, recompile }, 200);
    },
  );
