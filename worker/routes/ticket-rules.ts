import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import * as v from 'valibot';
import { and, asc, eq, gt, or, sql, type SQL } from 'drizzle-orm';
import { ticketRules } from '../../db/desk-schema';
import { IdParam, SearchText } from '../../protocol/api/common';
import {
  CreateTicketRuleBody,
  PreviewTemplateBody,
  ReorderTicketRulesBody,
  TemplatePreview,
  TicketRule,
  TicketRulePage,
  UpdateTicketRuleBody,
  type Assignment,
  type PriorityMap,
  type RuleMatch,
} from '../../protocol/api/ticket-rules';
import { SAMPLE_CONTEXT, renderBody, renderTitle, templateValues } from '../../protocol/templates';
import { deviceFacts, templateContext } from '../../durable/tenant/ticket-match';
import type { AppEnv, AuthContext, Db } from '../types';
import { requireAuth } from '../middleware/auth';
import { valid } from '../lib/validate';
import { badRequest, notFound } from '../lib/errors';
import { requireRole } from '../lib/roles';
import { newId } from '../lib/ids';
import { auditInsert } from '../lib/audit';
import { DEFAULT_LIMIT, PageQuery, decodeCursor, toPage } from '../lib/pagination';
import { matches } from '../lib/list-query';
import { auditWhere, changes } from '../lib/sql-helpers';
import { errors, jsonBody, noContent } from '../lib/responses';
import { requireAllClients } from '../lib/check-targets';
import { canonicalJson } from '../lib/check-compiler';
import { findAlert } from '../lib/alert-query';
import { tellConfigChanged } from '../lib/hubs';
import { assertRuleRefs } from '../lib/ticket-rule-refs';

const ListQuery = v.object({ ...PageQuery, q: SearchText });

const r = ticketRules;
const columns = {
  id: r.id,
  name: r.name,
  enabled: r.enabled,
  position: r.position,
  match: r.match,
  titleTemplate: r.titleTemplate,
  bodyTemplate: r.bodyTemplate,
  priorityMap: r.priorityMap,
  assignment: r.assignment,
  dedupMinutes: r.dedupMinutes,
  closeOnResolve: r.closeOnResolve,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
};

type Row = Omit<TicketRule, 'match' | 'priorityMap' | 'assignment'> & { match: unknown; priorityMap: unknown; assignment: unknown };
// Stored only after the body schema accepted them.
const toRule = (row: Row): TicketRule => ({
  ...row,
  match: row.match as RuleMatch,
  priorityMap: row.priorityMap as Required<PriorityMap>,
  assignment: row.assignment as Assignment,
});

const inTenant = (auth: AuthContext, id: string): SQL => and(eq(r.tenantId, auth.tenantId), eq(r.id, id))!;
const exists = (auth: AuthContext, id: string) => sql`EXISTS (SELECT 1 FROM ticket_rules x WHERE x.id = ${id} AND x.tenant_id = ${auth.tenantId})`;

async function findRule(db: Db, auth: AuthContext, id: string): Promise<TicketRule> {
  const row = await db.select(columns).from(r).where(inTenant(auth, id)).get();
  if (!row) throw notFound('ticket rule');
  return toRule(row);
}

/** Rows after a `[position, id]` cursor. */
function afterPosition(cursor: string | undefined): SQL | undefined {
  const key = decodeCursor(cursor);
  if (!key) return undefined;
  const [p, i] = key;
  if (typeof p !== 'number' || typeof i !== 'string') throw badRequest('invalid cursor', [{ path: 'cursor', message: 'not a cursor this API issued' }]);
  return or(gt(r.position, p), and(eq(r.position, p), gt(r.id, i)));
}

/** Writers configure automation for every client: admin or higher, not limited to clients. */
function requireWriter(auth: AuthContext): void {
  requireRole(auth, 'admin');
  requireAllClients(auth, 'an alert→ticket rule');
}

const tags = ['tickets'];
const READ = 'Technician or higher.';
const WRITE =
  'Admin or higher, not limited to clients. Templates may use only the listed tokens (an unknown token or an unclosed `{{` is a 400 naming it); clients, sites and users must be the tenant\'s (users: active technicians or higher who can see the clients concerned).';

export const ticketRulesRoutes = new Hono<AppEnv>()
  .use('*', requireAuth)
  .get(
    '/',
    describeRoute({
      tags,
      summary: 'List alert→ticket rules in the order they are tried; `q` searches names',
      description: READ,
      responses: { 200: jsonBody('a page of rules', TicketRulePage), ...errors(400, 401, 403) },
    }),
    valid('query', ListQuery),
    async (c) => {
      const auth = c.var.auth;
      requireRole(auth, 'technician');
      const { cursor, limit = DEFAULT_LIMIT, q } = c.req.valid('query');
      const rows = await c.var.db
        .select(columns)
        .from(r)
        .where(and(eq(r.tenantId, auth.tenantId), matches(q, r.name), afterPosition(cursor)))
        .orderBy(asc(r.position), asc(r.id))
        .limit(limit + 1)
        .all();
      const page = toPage(rows, limit, (row) => [row.position, row.id]);
      return c.json({ items: page.items.map(toRule), nextCursor: page.nextCursor }, 200);
    },
  )
  .post(
    '/',
    describeRoute({
      tags,
      summary: 'Create an alert→ticket rule',
      description: `${WRITE} Without \`position\` the rule goes after the last one.`,
      responses: { 201: jsonBody('created', TicketRule), ...errors(400, 401, 403) },
    }),
    valid('json', CreateTicketRuleBody),
    async (c) => {
      const { auth, db } = c.var;
      requireWriter(auth);
      const body = c.req.valid('json');
      await assertRuleRefs(db, auth.tenantId, body.match, body.assignment);
      const last = await db
        .select({ p: sql<number | null>`max(${r.position})` })
        .from(r)
        .where(eq(r.tenantId, auth.tenantId))
        .get();
      const now = Date.now();
      const row = {
        id: newId('trl', now),
        tenantId: auth.tenantId,
        name: body.name,
        enabled: body.enabled,
        position: body.position ?? (last?.p ?? -1) + 1,
        match: body.match,
        titleTemplate: body.titleTemplate,
        bodyTemplate: body.bodyTemplate,
        priorityMap: body.priorityMap,
        assignment: body.assignment,
        rrCursor: 0,
        dedupMinutes: body.dedupMinutes,
        closeOnResolve: body.closeOnResolve,
        createdAt: now,
        updatedAt: now,
      };
      await db.batch([
        db.insert(r).values(row),
        auditInsert(db, c, { action: 'ticket_rule.create', targetType: 'ticket_rule', targetId: row.id, detail: { name: row.name, enabled: row.enabled } }),
      ]);
      await tellConfigChanged(c);
      return c.json(await findRule(db, auth, row.id), 201);
    },
  )
  .post(
    '/reorder',
    describeRoute({
      tags,
      summary: 'Set the order rules are tried in',
      description: `${WRITE} The listed rules take positions 0, 1, 2… in that order; rules not listed follow in their current order. An id that is not one of the tenant's rules is a 400.`,
      responses: { 200: jsonBody('every rule, in the new order', TicketRulePage), ...errors(400, 401, 403) },
    }),
    valid('json', ReorderTicketRulesBody),
    async (c) => {
      const { auth, db } = c.var;
      requireWriter(auth);
      const { ids } = c.req.valid('json');
      const current = await db.select({ id: r.id, position: r.position }).from(r).where(eq(r.tenantId, auth.tenantId)).orderBy(asc(r.position), asc(r.id)).all();
      const have = new Set(current.map((x) => x.id));
      const issues = ids.flatMap((id, i) => (have.has(id) ? [] : [{ path: `ids.${i}`, message: 'no such ticket rule' }]));
      if (issues.length) throw badRequest('unknown rules', issues);
      const listed = new Set(ids);
      const order = [...ids, ...current.filter((x) => !listed.has(x.id)).map((x) => x.id)];
      const before = new Map(current.map((x) => [x.id, x.position]));
      const now = Date.now();
      const updates = order.flatMap((id, position) =>
        before.get(id) === position ? [] : [db.update(r).set({ position, updatedAt: now }).where(inTenant(auth, id))],
      );
      if (updates.length) {
        await db.batch([auditInsert(db, c, { action: 'ticket_rule.reorder', targetType: 'ticket_rule', detail: { order } }), ...updates]);
        await tellConfigChanged(c);
      }
      const rows = await db.select(columns).from(r).where(eq(r.tenantId, auth.tenantId)).orderBy(asc(r.position), asc(r.id)).all();
      return c.json({ items: rows.map(toRule), nextCursor: null }, 200);
    },
  )
  .post(
    '/preview',
    describeRoute({
      tags,
      summary: 'Render a title and body template against an alert (the rule editor\'s live preview)',
      description: `${READ} With \`alertId\`, one of the tenant's alerts the caller can see (else 404); without, a built-in sample alert. Template errors are a 400 naming the token.`,
      responses: { 200: jsonBody('the rendered text', TemplatePreview), ...errors(400, 401, 403, 404) },
    }),
    valid('json', PreviewTemplateBody),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'technician');
      const body = c.req.valid('json');
      let context = SAMPLE_CONTEXT;
      if (body.alertId) {
        const alert = await findAlert(db, auth, body.alertId);
        if (!alert) throw notFound('alert');
        // A retired device's alert still previews, with what the alert row knows.
        const device = (await deviceFacts(c.env.DB, auth.tenantId, alert.deviceId)) ?? { hostname: alert.hostname ?? '', displayName: null, siteId: '', siteName: null, clientName: null, tags: [] };
        context = templateContext(alert, device);
      }
      const values = templateValues(context);
      return c.json({ title: renderTitle(body.titleTemplate, values), body: renderBody(body.bodyTemplate, values), alertId: body.alertId ?? null }, 200);
    },
  )
  .get(
    '/:id',
    describeRoute({ tags, summary: 'One alert→ticket rule', description: READ, responses: { 200: jsonBody('the rule', TicketRule), ...errors(401, 403, 404) } }),
    valid('param', IdParam),
    async (c) => {
      requireRole(c.var.auth, 'technician');
      return c.json(await findRule(c.var.db, c.var.auth, c.req.valid('param').id), 200);
    },
  )
  .patch(
    '/:id',
    describeRoute({
      tags,
      summary: 'Change an alert→ticket rule (match, priority map and assignment are replaced as a whole)',
      description: WRITE,
      responses: { 200: jsonBody('the changed rule', TicketRule), ...errors(400, 401, 403, 404) },
    }),
    valid('param', IdParam),
    valid('json', UpdateTicketRuleBody),
    async (c) => {
      const { auth, db } = c.var;
      requireWriter(auth);
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const before = await findRule(db, auth, id);
      const set: Partial<typeof r.$inferInsert> = {};
      const fields: string[] = [];
      for (const key of Object.keys(body) as (keyof typeof body)[]) {
        const value = body[key];
        if (value === undefined || canonicalJson(value) === canonicalJson(before[key])) continue;
        (set as Record<string, unknown>)[key] = value;
        fields.push(key);
      }
      if (fields.length === 0) return c.json(before, 200);
      if (set.match !== undefined || set.assignment !== undefined) {
        await assertRuleRefs(db, auth.tenantId, body.match ?? before.match, body.assignment ?? before.assignment);
      }
      // A new user list starts its turns from the first user.
      if (set.assignment !== undefined) set.rrCursor = 0;
      const [, updated] = await db.batch([
        auditWhere(db, c, { action: 'ticket_rule.update', targetType: 'ticket_rule', targetId: id, detail: { fields } }, exists(auth, id)),
        db
          .update(r)
          .set({ ...set, updatedAt: Date.now() })
          .where(inTenant(auth, id)),
      ]);
      if (changes(updated) !== 1) throw notFound('ticket rule');
      await tellConfigChanged(c);
      return c.json(await findRule(db, auth, id), 200);
    },
  )
  .delete(
    '/:id',
    describeRoute({
      tags,
      summary: 'Delete an alert→ticket rule',
      description: 'Admin or higher, not limited to clients. Tickets it opened stay; they no longer close with their alerts.',
      responses: { 204: noContent, ...errors(401, 403, 404) },
    }),
    valid('param', IdParam),
    async (c) => {
      const { auth, db } = c.var;
      requireWriter(auth);
      const { id } = c.req.valid('param');
      const rule = await findRule(db, auth, id);
      const [, deleted] = await db.batch([
        auditWhere(db, c, { action: 'ticket_rule.delete', targetType: 'ticket_rule', targetId: id, detail: { name: rule.name } }, exists(auth, id)),
        db.delete(r).where(inTenant(auth, id)),
      ]);
      if (changes(deleted) !== 1) throw notFound('ticket rule');
      await tellConfigChanged(c);
      return c.body(null, 204);
    },
  );
