import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import * as v from 'valibot';
import { and, eq, isNull, ne, sql, type SQL } from 'drizzle-orm';
import { checkSets, escalationPolicies, users } from '../../db/schema';
import { integrations } from '../../db/integrations-schema';
import { IdParam, SearchText } from '../../protocol/api/common';
import {
  CreateEscalationPolicyBody,
  EscalationPolicy,
  EscalationPolicyPage,
  UpdateEscalationPolicyBody,
  type EscalationTier,
} from '../../protocol/api/escalation';
import type { AppEnv, AuthContext, Db } from '../types';
import { requireAuth } from '../middleware/auth';
import { valid } from '../lib/validate';
import { ApiError, badRequest, notFound } from '../lib/errors';
import { requireRole } from '../lib/roles';
import { newId } from '../lib/ids';
import { auditInsert } from '../lib/audit';
import { DEFAULT_LIMIT, PageQuery, toPage } from '../lib/pagination';
import { afterName, byName, matches, nameKey } from '../lib/list-query';
import { auditWhere, changes, inIds } from '../lib/sql-helpers';
import { errors, jsonBody, noContent } from '../lib/responses';
import { requireAllClients } from '../lib/check-targets';
import { canonicalJson } from '../lib/check-compiler';
import { policyUnused } from '../lib/escalation';
import { tellConfigChanged } from '../lib/hubs';

const ListQuery = v.object({ ...PageQuery, q: SearchText });

const p = escalationPolicies;
const columns = {
  id: p.id,
  name: p.name,
  tiers: p.tiers,
  repeatEveryMinutes: p.repeatEveryMinutes,
  isDefault: p.isDefault,
  createdAt: p.createdAt,
  updatedAt: p.updatedAt,
};

type Row = Omit<EscalationPolicy, 'tiers'> & { tiers: unknown[] };
// Tiers stored before tiers could name integrations read as naming none.
const toPolicy = (row: Row): EscalationPolicy => ({ ...row, tiers: (row.tiers as EscalationTier[]).map((t) => ({ ...t, integrationIds: t.integrationIds ?? [] })) });

const inTenant = (auth: AuthContext, id: string): SQL => and(eq(p.tenantId, auth.tenantId), eq(p.id, id))!;

async function findPolicy(db: Db, auth: AuthContext, id: string): Promise<EscalationPolicy> {
  const row = await db.select(columns).from(p).where(inTenant(auth, id)).get();
  if (!row) throw notFound('escalation policy');
  return toPolicy(row);
}

/** Every user a tier names must be an active staff user of the tenant (400 naming the tier and position otherwise). */
async function assertTierUsers(db: Db, tenantId: string, tiers: EscalationTier[]): Promise<void> {
  const wanted = [...new Set(tiers.flatMap((t) => t.userIds))];
  if (wanted.length === 0) return;
  const found = await db
    .select({ id: users.id })
    .from(users)
    // Portal users are customers: nobody pages them about the MSP's alerts.
    .where(and(eq(users.tenantId, tenantId), isNull(users.disabledAt), ne(users.role, 'client'), inIds(users.id, wanted)))
    .all();
  const known = new Set(found.map((u) => u.id));
  const issues = tiers.flatMap((t, i) =>
    t.userIds.flatMap((id, j) => (known.has(id) ? [] : [{ path: `tiers.${i}.userIds.${j}`, message: 'no such active staff user in this tenant' }])),
  );
  if (issues.length) throw badRequest('unknown users in tiers', issues);
}

/**
 * Every integration a tier names must be one of the tenant's: another tenant's reads as
 * missing, exactly like an id that never existed.
 */
async function assertTierIntegrations(db: Db, tenantId: string, tiers: EscalationTier[]): Promise<void> {
  const wanted = [...new Set(tiers.flatMap((t) => t.integrationIds))];
  if (wanted.length === 0) return;
  const found = await db
    .select({ id: integrations.id })
    .from(integrations)
    .where(and(eq(integrations.tenantId, tenantId), inIds(integrations.id, wanted)))
    .all();
  const known = new Set(found.map((i) => i.id));
  const issues = tiers.flatMap((t, i) =>
    t.integrationIds.flatMap((id, j) => (known.has(id) ? [] : [{ path: `tiers.${i}.integrationIds.${j}`, message: 'integration not found' }])),
  );
  if (issues.length) throw badRequest('unknown integrations in tiers', issues);
}

/** Users and integrations a tier names must be the tenant's. */
async function assertTierRefs(db: Db, tenantId: string, tiers: EscalationTier[]): Promise<void> {
  await assertTierUsers(db, tenantId, tiers);
  await assertTierIntegrations(db, tenantId, tiers);
}

/** Clears the default flag of every other policy of the tenant (in the batch that sets this one's). */
const clearOtherDefaults = (db: Db, auth: AuthContext, keep: string, condition?: SQL) =>
  db
    .update(p)
    .set({ isDefault: false })
    .where(and(eq(p.tenantId, auth.tenantId), eq(p.isDefault, true), ne(p.id, keep), condition));

const tags = ['monitoring'];
const READ = 'Any role.';
const WRITE = 'Admin or higher, not limited to clients (policies apply to every client\'s alerts).';

export const escalationPoliciesRoutes = new Hono<AppEnv>()
  .use('*', requireAuth)
  .get(
    '/',
    describeRoute({
      tags,
      summary: 'List escalation policies by name; `q` searches names',
      description: READ,
      responses: { 200: jsonBody('a page of policies', EscalationPolicyPage), ...errors(400, 401, 403) },
    }),
    valid('query', ListQuery),
    async (c) => {
      const auth = c.var.auth;
      requireRole(auth, 'readonly');
      const { cursor, limit = DEFAULT_LIMIT, q } = c.req.valid('query');
      const rows = await c.var.db
        .select(columns)
        .from(p)
        .where(and(eq(p.tenantId, auth.tenantId), matches(q, p.name), afterName(cursor, p.name, p.id)))
        .orderBy(...byName(p.name, p.id))
        .limit(limit + 1)
        .all();
      const page = toPage(rows, limit, nameKey);
      return c.json({ items: page.items.map(toPolicy), nextCursor: page.nextCursor }, 200);
    },
  )
  .post(
    '/',
    describeRoute({
      tags,
      summary: 'Create an escalation policy',
      description: `${WRITE} Tier users must be active users of the tenant and tier integrations the tenant's integrations (else 400). \`isDefault: true\` takes the default over from the current default policy.`,
      responses: { 201: jsonBody('created', EscalationPolicy), ...errors(400, 401, 403) },
    }),
    valid('json', CreateEscalationPolicyBody),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'admin');
      requireAllClients(auth, 'an escalation policy');
      const body = c.req.valid('json');
      await assertTierRefs(db, auth.tenantId, body.tiers);
      const now = Date.now();
      const row = {
        id: newId('esc', now),
        tenantId: auth.tenantId,
        name: body.name,
        tiers: body.tiers,
        repeatEveryMinutes: body.repeatEveryMinutes,
        isDefault: body.isDefault,
        createdAt: now,
        updatedAt: now,
      };
      const insert = db.insert(p).values(row);
      const audit = auditInsert(db, c, {
        action: 'escalation_policy.create',
        targetType: 'escalation_policy',
        targetId: row.id,
        detail: { name: row.name, tiers: body.tiers.length, isDefault: row.isDefault },
      });
      if (body.isDefault) await db.batch([clearOtherDefaults(db, auth, row.id), insert, audit]);
      else await db.batch([insert, audit]);
      await tellConfigChanged(c);
      return c.json(await findPolicy(db, auth, row.id), 201);
    },
  )
  .get(
    '/:id',
    describeRoute({ tags, summary: 'One escalation policy', description: READ, responses: { 200: jsonBody('the policy', EscalationPolicy), ...errors(401, 403, 404) } }),
    valid('param', IdParam),
    async (c) => {
      requireRole(c.var.auth, 'readonly');
      return c.json(await findPolicy(c.var.db, c.var.auth, c.req.valid('param').id), 200);
    },
  )
  .patch(
    '/:id',
    describeRoute({
      tags,
      summary: 'Change an escalation policy (tiers are replaced as a whole)',
      description: `${WRITE} Tier users must be active users of the tenant and tier integrations the tenant's integrations (else 400). \`isDefault: true\` takes the default over from the current default policy.`,
      responses: { 200: jsonBody('the changed policy', EscalationPolicy), ...errors(400, 401, 403, 404) },
    }),
    valid('param', IdParam),
    valid('json', UpdateEscalationPolicyBody),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'admin');
      requireAllClients(auth, 'an escalation policy');
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const before = await findPolicy(db, auth, id);
      const fields: string[] = [];
      const set: Partial<typeof p.$inferInsert> = {};
      if (body.name !== undefined && body.name !== before.name) (set.name = body.name), fields.push('name');
      if (body.tiers !== undefined && canonicalJson(body.tiers) !== canonicalJson(before.tiers)) (set.tiers = body.tiers), fields.push('tiers');
      if (body.repeatEveryMinutes !== undefined && body.repeatEveryMinutes !== before.repeatEveryMinutes) {
        set.repeatEveryMinutes = body.repeatEveryMinutes;
        fields.push('repeatEveryMinutes');
      }
      if (body.isDefault !== undefined && body.isDefault !== before.isDefault) (set.isDefault = body.isDefault), fields.push('isDefault');
      if (fields.length === 0) return c.json(before, 200);
      if (body.tiers !== undefined && fields.includes('tiers')) await assertTierRefs(db, auth.tenantId, body.tiers);
      const exists = sql`EXISTS (SELECT 1 FROM escalation_policies x WHERE x.id = ${id} AND x.tenant_id = ${auth.tenantId})`;
      const audit = auditWhere(db, c, { action: 'escalation_policy.update', targetType: 'escalation_policy', targetId: id, detail: { fields } }, exists);
      const update = db
        .update(p)
        .set({ ...set, updatedAt: Date.now() })
        .where(inTenant(auth, id));
      // Only a policy that still exists takes the default over.
      const results = set.isDefault ? await db.batch([audit, clearOtherDefaults(db, auth, id, exists), update]) : await db.batch([audit, update]);
      const updated = results[results.length - 1];
      if (changes(updated) !== 1) throw notFound('escalation policy');
      await tellConfigChanged(c);
      return c.json(await findPolicy(db, auth, id), 200);
    },
  )
  .delete(
    '/:id',
    describeRoute({
      tags,
      summary: 'Delete an escalation policy no check set uses',
      description: `${WRITE} A policy a check set names answers 409 with the names of those sets.`,
      responses: { 204: noContent, ...errors(401, 403, 404, 409) },
    }),
    valid('param', IdParam),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'admin');
      requireAllClients(auth, 'an escalation policy');
      const { id } = c.req.valid('param');
      const policy = await findPolicy(db, auth, id);
      const guard = policyUnused(auth.tenantId, id);
      const [, deleted] = await db.batch([
        auditWhere(
          db,
          c,
          { action: 'escalation_policy.delete', targetType: 'escalation_policy', targetId: id, detail: { name: policy.name } },
          and(guard, sql`EXISTS (SELECT 1 FROM escalation_policies x WHERE x.id = ${id} AND x.tenant_id = ${auth.tenantId})`)!,
        ),
        db.delete(p).where(and(inTenant(auth, id), guard)),
      ]);
      if (changes(deleted) !== 1) {
        const users = await db
          .select({ name: checkSets.name })
          .from(checkSets)
          .where(and(eq(checkSets.tenantId, auth.tenantId), eq(checkSets.escalationPolicyId, id)))
          .orderBy(sql`${checkSets.name} COLLATE NOCASE`)
          .all();
        if (users.length === 0) throw notFound('escalation policy');
        const names = users.map((s) => `"${s.name}"`).join(', ');
        throw new ApiError(409, 'conflict', `escalation policy "${policy.name}" is used by check sets ${names}; change them first`);
      }
      await tellConfigChanged(c);
      return c.body(null, 204);
    },
  );
