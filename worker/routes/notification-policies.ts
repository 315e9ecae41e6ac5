import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import * as v from 'valibot';
import { and, eq, sql, type SQL } from 'drizzle-orm';
import { clients } from '../../db/schema';
import { integrations, notificationPolicies } from '../../db/integrations-schema';
import { IdParam } from '../../protocol/api/common';
import {
  CreateNotificationPolicyBody,
  NotificationPolicy,
  NotificationPolicyPage,
  UpdateNotificationPolicyBody,
  type TimeOfDay,
} from '../../protocol/api/integrations';
import type { Severity } from '../../protocol/checks';
import type { AppEnv, AuthContext, Db } from '../types';
import { requireAuth } from '../middleware/auth';
import { valid } from '../lib/validate';
import { badRequest, notFound } from '../lib/errors';
import { requireRole } from '../lib/roles';
import { newId } from '../lib/ids';
import { auditInsert } from '../lib/audit';
import { DEFAULT_LIMIT, PageQuery, toPage } from '../lib/pagination';
import { afterName, byName, nameKey } from '../lib/list-query';
import { auditWhere, changes, inIds } from '../lib/sql-helpers';
import { errors, jsonBody, noContent } from '../lib/responses';
import { requireAllClients } from '../lib/check-targets';
import { tellTenantHub } from './integrations';

const p = notificationPolicies;
const columns = {
  id: p.id,
  name: p.name,
  enabled: p.enabled,
  events: p.events,
  severities: p.severities,
  clientIds: p.clientIds,
  timeOfDay: p.timeOfDay,
  integrationIds: p.integrationIds,
  createdAt: p.createdAt,
  updatedAt: p.updatedAt,
};
type Row = { [K in keyof typeof columns]: (typeof columns)[K]['_']['data'] };
const toPolicy = (r: Row): NotificationPolicy => ({
  ...r,
  events: r.events as NotificationPolicy['events'],
  severities: r.severities as Severity[],
  clientIds: r.clientIds ?? null,
  timeOfDay: (r.timeOfDay as TimeOfDay | null) ?? null,
});
const inTenant = (auth: AuthContext, id: string): SQL => and(eq(p.tenantId, auth.tenantId), eq(p.id, id))!;

async function findPolicy(db: Db, auth: AuthContext, id: string): Promise<NotificationPolicy> {
  const row = await db.select(columns).from(p).where(inTenant(auth, id)).get();
  if (!row) throw notFound('notification policy');
  return toPolicy(row);
}

/** Every integration and client named must be this tenant's (400 naming the position otherwise). */
async function assertOwned(db: Db, tenantId: string, body: { integrationIds?: string[]; clientIds?: string[] | null }): Promise<void> {
  const issues: { path: string; message: string }[] = [];
  const check = async (field: 'integrationIds' | 'clientIds', ids: string[], table: typeof integrations | typeof clients) => {
    if (ids.length === 0) return;
    const found = await db.select({ id: table.id }).from(table).where(and(eq(table.tenantId, tenantId), inIds(table.id, ids))).all();
    const known = new Set(found.map((r) => r.id));
    ids.forEach((id, n) => known.has(id) || issues.push({ path: `${field}.${n}`, message: `no such ${field === 'clientIds' ? 'client' : 'integration'} in this tenant` }));
  };
  if (body.integrationIds) await check('integrationIds', body.integrationIds, integrations);
  if (body.clientIds) await check('clientIds', body.clientIds, clients);
  if (issues.length) throw badRequest('unknown ids', issues);
}

const ListQuery = v.object({ ...PageQuery });
const tags = ['integrations'];
const WHO = 'Admin or higher, not limited to clients.';
const exists = (auth: AuthContext, id: string) => sql`EXISTS (SELECT 1 FROM notification_policies x WHERE x.id = ${id} AND x.tenant_id = ${auth.tenantId})`;
const manager = (auth: AuthContext) => {
  requireRole(auth, 'admin');
  requireAllClients(auth, 'a notification policy');
};

/** Which events go to which integrations, by event type, severity, client and time of day. */
export const notificationPoliciesRoutes = new Hono<AppEnv>()
  .use('*', requireAuth)
  .get(
    '/',
    describeRoute({ tags, summary: 'List notification policies by name', description: WHO, responses: { 200: jsonBody('a page of policies', NotificationPolicyPage), ...errors(400, 401, 403) } }),
    valid('query', ListQuery),
    async (c) => {
      const auth = c.var.auth;
      manager(auth);
      const { cursor, limit = DEFAULT_LIMIT } = c.req.valid('query');
      const rows = await c.var.db
        .select(columns)
        .from(p)
        .where(and(eq(p.tenantId, auth.tenantId), afterName(cursor, p.name, p.id)))
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
      summary: 'Create a notification policy',
      description: `${WHO} Empty \`events\` or \`severities\` match all; \`clientIds: null\` matches every client; \`timeOfDay: null\` always. Integrations and clients must be the tenant's (else 400).`,
      responses: { 201: jsonBody('created', NotificationPolicy), ...errors(400, 401, 403) },
    }),
    valid('json', CreateNotificationPolicyBody),
    async (c) => {
      const { auth, db } = c.var;
      manager(auth);
      const body = c.req.valid('json');
      await assertOwned(db, auth.tenantId, body);
      const now = Date.now();
      const row = { id: newId('ntp', now), tenantId: auth.tenantId, ...body, createdAt: now, updatedAt: now };
      await db.batch([
        db.insert(p).values(row),
        auditInsert(db, c, { action: 'notification_policy.create', targetType: 'notification_policy', targetId: row.id, detail: { name: row.name, integrationIds: row.integrationIds } }),
      ]);
      await tellTenantHub(c);
      return c.json(await findPolicy(db, auth, row.id), 201);
    },
  )
  .get(
    '/:id',
    describeRoute({ tags, summary: 'One notification policy', description: WHO, responses: { 200: jsonBody('the policy', NotificationPolicy), ...errors(401, 403, 404) } }),
    valid('param', IdParam),
    async (c) => {
      manager(c.var.auth);
      return c.json(await findPolicy(c.var.db, c.var.auth, c.req.valid('param').id), 200);
    },
  )
  .patch(
    '/:id',
    describeRoute({
      tags,
      summary: 'Change a notification policy (lists are replaced whole)',
      description: `${WHO} Integrations and clients must be the tenant's (else 400).`,
      responses: { 200: jsonBody('the changed policy', NotificationPolicy), ...errors(400, 401, 403, 404) },
    }),
    valid('param', IdParam),
    valid('json', UpdateNotificationPolicyBody),
    async (c) => {
      const { auth, db } = c.var;
      manager(auth);
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      await findPolicy(db, auth, id);
      await assertOwned(db, auth.tenantId, body);
      const fields = Object.keys(body).filter((k) => body[k as keyof typeof body] !== undefined);
      if (fields.length === 0) return c.json(await findPolicy(db, auth, id), 200);
      const [, updated] = await db.batch([
        auditWhere(db, c, { action: 'notification_policy.update', targetType: 'notification_policy', targetId: id, detail: { fields } }, exists(auth, id)),
        db
          .update(p)
          .set({ ...body, updatedAt: Date.now() })
          .where(inTenant(auth, id)),
      ]);
      if (changes(updated) !== 1) throw notFound('notification policy');
      await tellTenantHub(c);
      return c.json(await findPolicy(db, auth, id), 200);
    },
  )
  .delete(
    '/:id',
    describeRoute({ tags, summary: 'Delete a notification policy', description: WHO, responses: { 204: noContent, ...errors(401, 403, 404) } }),
    valid('param', IdParam),
    async (c) => {
      const { auth, db } = c.var;
      manager(auth);
      const { id } = c.req.valid('param');
      const found = await findPolicy(db, auth, id);
      const [, deleted] = await db.batch([
        auditWhere(db, c, { action: 'notification_policy.delete', targetType: 'notification_policy', targetId: id, detail: { name: found.name } }, exists(auth, id)),
        db.delete(p).where(inTenant(auth, id)),
      ]);
      if (changes(deleted) !== 1) throw notFound('notification policy');
      await tellTenantHub(c);
      return c.body(null, 204);
    },
  );
