import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import * as v from 'valibot';
import { and, desc, eq, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Context } from 'hono';
import { chatUserLinks, deliveries, integrations, notificationPolicies } from '../../db/integrations-schema';
import { IdParam } from '../../protocol/api/common';
import {
  CreatedIntegration,
  CreateIntegrationBody,
  DeliveryPage,
  DeliveryResult,
  Integration,
  IntegrationPage,
  UpdateIntegrationBody,
} from '../../protocol/api/integrations';
import type { AppEnv, AuthContext, Db } from '../types';
import { requireAuth } from '../middleware/auth';
import { valid } from '../lib/validate';
import { notFound } from '../lib/errors';
import { requireRole } from '../lib/roles';
import { newId } from '../lib/ids';
import { auditInsert } from '../lib/audit';
import { DEFAULT_LIMIT, PageQuery, decodeCursor, toPage } from '../lib/pagination';
import { afterName, byName, nameKey } from '../lib/list-query';
import { auditWhere, changes } from '../lib/sql-helpers';
import { errors, jsonBody, noContent } from '../lib/responses';
import { requireAllClients } from '../lib/check-targets';
import { tellConfigChanged, tenantHub } from '../lib/hubs';
import { configHint, openConfig, sealConfig, type ConfigOf } from '../lib/integrations/config';
import { loopbackAllowed, parseConfigInput } from '../lib/integrations/config-input';

const i = integrations;
/* Never the sealed config: answers carry the hint only. */
const columns = { id: i.id, kind: i.kind, name: i.name, enabled: i.enabled, configHint: i.configHint, createdAt: i.createdAt, updatedAt: i.updatedAt };
const inTenant = (auth: AuthContext, id: string): SQL => and(eq(i.tenantId, auth.tenantId), eq(i.id, id))!;
const exists = (auth: AuthContext, id: string) => sql`EXISTS (SELECT 1 FROM integrations x WHERE x.id = ${id} AND x.tenant_id = ${auth.tenantId})`;

async function findIntegration(db: Db, auth: AuthContext, id: string): Promise<Integration> {
  const row = await db.select(columns).from(i).where(inTenant(auth, id)).get();
  if (!row) throw notFound('integration');
  return row;
}

/** Admins not limited to clients: an integration carries every client's events. */
function requireManager(auth: AuthContext): void {
  requireRole(auth, 'admin');
  requireAllClients(auth, 'an integration');
}

/** The hub reloads its routing and learns the origin for links in messages. */
export const tellTenantHub = (c: Context<AppEnv>): Promise<void> =>
  tellConfigChanged(c, new URL(c.req.url).origin);

const ListQuery = v.object({ ...PageQuery });
const tags = ['integrations'];
const WHO = 'Admin or higher, not limited to clients.';
const SECRET_NOTE = 'Answers never contain the URL or a secret, only `configHint`.';

export const integrationsRoutes = new Hono<AppEnv>()
  .use('*', requireAuth)
  .get(
    '/',
    describeRoute({ tags, summary: 'List integrations by name', description: `${WHO} ${SECRET_NOTE}`, responses: { 200: jsonBody('a page of integrations', IntegrationPage), ...errors(400, 401, 403) } }),
    valid('query', ListQuery),
    async (c) => {
      const auth = c.var.auth;
      requireManager(auth);
      const { cursor, limit = DEFAULT_LIMIT } = c.req.valid('query');
      const rows = await c.var.db
        .select(columns)
        .from(i)
        .where(and(eq(i.tenantId, auth.tenantId), afterName(cursor, i.name, i.id)))
        .orderBy(...byName(i.name, i.id))
        .limit(limit + 1)
        .all();
      return c.json(toPage(rows, limit, nameKey), 200);
    },
  )
  .post(
    '/',
    describeRoute({
      tags,
      summary: 'Connect Slack, Teams or a generic webhook',
      description: `${WHO} The config is checked per kind; Office 365 connector URLs for Teams are refused (create a Workflows webhook). A webhook created without \`secret\` gets one from the server, answered once as \`generatedSecret\` and never again. ${SECRET_NOTE}`,
      responses: { 201: jsonBody('created', CreatedIntegration), ...errors(400, 401, 403) },
    }),
    valid('json', CreateIntegrationBody),
    async (c) => {
      const { auth, db } = c.var;
      requireManager(auth);
      const body = c.req.valid('json');
      const { config, generatedSecret } = parseConfigInput(body.kind, body.config, { allowLoopback: loopbackAllowed(c.env) });
      const now = Date.now();
      const row = {
        id: newId('itg', now),
        tenantId: auth.tenantId,
        kind: body.kind,
        name: body.name,
        enabled: body.enabled,
        configEnc: await sealConfig(c.env.TETHER_MASTER_KEY, config),
        configHint: configHint(body.kind, config),
        createdBy: auth.userId,
        createdAt: now,
        updatedAt: now,
      };
      await db.batch([
        db.insert(i).values(row),
        auditInsert(db, c, { action: 'integration.create', targetType: 'integration', targetId: row.id, detail: { kind: row.kind, name: row.name, configHint: row.configHint } }),
      ]);
      await tellTenantHub(c);
      const created = await findIntegration(db, auth, row.id);
      return c.json(generatedSecret ? { ...created, generatedSecret } : created, 201);
    },
  )
  .get(
    '/:id',
    describeRoute({ tags, summary: 'One integration', description: `${WHO} ${SECRET_NOTE}`, responses: { 200: jsonBody('the integration', Integration), ...errors(401, 403, 404) } }),
    valid('param', IdParam),
    async (c) => {
      requireManager(c.var.auth);
      return c.json(await findIntegration(c.var.db, c.var.auth, c.req.valid('param').id), 200);
    },
  )
  .patch(
    '/:id',
    describeRoute({
      tags,
      summary: 'Rename, switch on or off, or replace the config',
      description: `${WHO} \`config\` replaces the whole config; a webhook config without \`secret\` keeps the current secret. ${SECRET_NOTE}`,
      responses: { 200: jsonBody('the changed integration', Integration), ...errors(400, 401, 403, 404) },
    }),
    valid('param', IdParam),
    valid('json', UpdateIntegrationBody),
    async (c) => {
      const { auth, db } = c.var;
      requireManager(auth);
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const before = await db.select().from(i).where(inTenant(auth, id)).get();
      if (!before) throw notFound('integration');
      const set: Partial<typeof i.$inferInsert> = {};
      const fields: string[] = [];
      if (body.name !== undefined && body.name !== before.name) (set.name = body.name), fields.push('name');
      if (body.enabled !== undefined && body.enabled !== before.enabled) (set.enabled = body.enabled), fields.push('enabled');
      if (body.config !== undefined) {
        const keep = before.kind === 'webhook' ? (await openConfig(c.env.TETHER_MASTER_KEY, 'webhook', before.configEnc)).secret : undefined;
        const { config } = parseConfigInput(before.kind, body.config, { keepSecret: keep, allowLoopback: loopbackAllowed(c.env) });
        set.configEnc = await sealConfig(c.env.TETHER_MASTER_KEY, config);
        set.configHint = configHint(before.kind, config as ConfigOf[typeof before.kind]);
        fields.push('config');
      }
      if (fields.length === 0) return c.json(await findIntegration(db, auth, id), 200);
      const [, updated] = await db.batch([
        auditWhere(db, c, { action: 'integration.update', targetType: 'integration', targetId: id, detail: { fields, configHint: set.configHint ?? before.configHint } }, exists(auth, id)),
        db.update(i).set({ ...set, updatedAt: Date.now() }).where(inTenant(auth, id)),
      ]);
      if (changes(updated) !== 1) throw notFound('integration');
      await tellTenantHub(c);
      return c.json(await findIntegration(db, auth, id), 200);
    },
  )
  .delete(
    '/:id',
    describeRoute({
      tags,
      summary: 'Delete an integration, its delivery log and its chat user links',
      description: `${WHO} Notification policies stop naming it.`,
      responses: { 204: noContent, ...errors(401, 403, 404) },
    }),
    valid('param', IdParam),
    async (c) => {
      const { auth, db } = c.var;
      requireManager(auth);
      const { id } = c.req.valid('param');
      const found = await findIntegration(db, auth, id);
      const np = notificationPolicies;
      const naming = await db
        .select({ id: np.id, integrationIds: np.integrationIds })
        .from(np)
        .where(and(eq(np.tenantId, auth.tenantId), sql`EXISTS (SELECT 1 FROM json_each(${np.integrationIds}) WHERE value = ${id})`))
        .all();
      const [, deleted] = await db.batch([
        auditWhere(db, c, { action: 'integration.delete', targetType: 'integration', targetId: id, detail: { kind: found.kind, name: found.name } }, exists(auth, id)),
        db.delete(i).where(inTenant(auth, id)),
        db.delete(deliveries).where(and(eq(deliveries.tenantId, auth.tenantId), eq(deliveries.integrationId, id))),
        db.delete(chatUserLinks).where(and(eq(chatUserLinks.tenantId, auth.tenantId), eq(chatUserLinks.integrationId, id))),
        ...naming.map((p) =>
          db
            .update(np)
            .set({ integrationIds: p.integrationIds.filter((x) => x !== id), updatedAt: Date.now() })
            .where(and(eq(np.tenantId, auth.tenantId), eq(np.id, p.id))),
        ),
      ]);
      if (changes(deleted) !== 1) throw notFound('integration');
      await tellTenantHub(c);
      return c.body(null, 204);
    },
  )
  .get(
    '/:id/deliveries',
    describeRoute({
      tags,
      summary: 'The delivery log of an integration, newest first',
      description: `${WHO} Without payloads; GET /deliveries/{id} has the body sent.`,
      responses: { 200: jsonBody('a page of deliveries', DeliveryPage), ...errors(400, 401, 403, 404) },
    }),
    valid('param', IdParam),
    valid('query', ListQuery),
    async (c) => {
      const { auth, db } = c.var;
      requireManager(auth);
      const { id } = c.req.valid('param');
      await findIntegration(db, auth, id);
      const { cursor, limit = DEFAULT_LIMIT } = c.req.valid('query');
      const after = decodeCursor(cursor);
      const d = deliveries;
      const rows = await db
        .select({
          id: d.id,
          integrationId: d.integrationId,
          event: d.event,
          eventId: d.eventId,
          status: d.status,
          attempts: d.attempts,
          nextAttemptAt: d.nextAttemptAt,
          lastStatusCode: d.lastStatusCode,
          lastError: d.lastError,
          createdAt: d.createdAt,
          deliveredAt: d.deliveredAt,
        })
        .from(d)
        .where(
          and(
            eq(d.tenantId, auth.tenantId),
            eq(d.integrationId, id),
            after ? or(lt(d.createdAt, Number(after[0])), and(eq(d.createdAt, Number(after[0])), lt(d.id, String(after[1])))) : undefined,
          ),
        )
        .orderBy(desc(d.createdAt), desc(d.id))
        .limit(limit + 1)
        .all();
      return c.json(toPage(rows, limit, (r) => [r.createdAt, r.id]), 200);
    },
  )
  .post(
    '/:id/test',
    describeRoute({
      tags,
      summary: 'Send a test message now',
      description: `${WHO} Sends a \`test\` event at once (no retries) and answers the outcome; the attempt appears in the delivery log.`,
      responses: { 200: jsonBody('the attempt', DeliveryResult), ...errors(401, 403, 404) },
    }),
    valid('param', IdParam),
    async (c) => {
      const { auth, db } = c.var;
      requireManager(auth);
      const { id } = c.req.valid('param');
      await findIntegration(db, auth, id);
      const result = await tenantHub(c.env, auth.tenantId).sendTestDelivery(id, new URL(c.req.url).origin);
      if (!result) throw notFound('integration');
      await auditInsert(db, c, { action: 'integration.test', targetType: 'integration', targetId: id, detail: { deliveryId: result.deliveryId, status: result.status } });
      return c.json(result, 200);
    },
  );
