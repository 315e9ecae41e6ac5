import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import * as v from 'valibot';
import { and, eq, sql } from 'drizzle-orm';
import { businessCalendars, slaPolicies } from '../../db/desk-schema';
import { IdParam, SearchText } from '../../protocol/api/common';
import {
  BusinessCalendar,
  BusinessCalendarPage,
  CalendarBody,
  SlaPolicy,
  SlaPolicyBody,
  SlaPolicyPage,
  UpdateCalendarBody,
  UpdateSlaPolicyBody,
} from '../../protocol/api/tickets';
import type { AppEnv } from '../types';
import { requireAuth } from '../middleware/auth';
import { valid } from '../lib/validate';
import { ApiError, notFound } from '../lib/errors';
import { requireRole } from '../lib/roles';
import { newId } from '../lib/ids';
import { auditInsert } from '../lib/audit';
import { DEFAULT_LIMIT, PageQuery, toPage } from '../lib/pagination';
import { afterName, byName, matches, nameKey } from '../lib/list-query';
import { auditWhere, changes, insertWhere } from '../lib/sql-helpers';
import { errors, jsonBody, noContent } from '../lib/responses';
import { requireAllClients } from '../lib/check-targets';
import { tellConfigChanged } from '../lib/hubs';
import {
  assertPolicyRefs,
  calendarColumns,
  calendarUnused,
  findCalendar,
  findPolicy,
  policyColumns,
  policyScope,
  scopeFree,
  scopeTaken,
} from '../lib/tickets/sla-store';

/*
 * Business calendars (working hours, time zone, holidays) and SLA policies (targets by
 * priority, per client or the tenant default). Changes apply to tickets opened or
 * re-prioritised afterwards; existing due times stay as they were promised.
 */

const ListQuery = v.object({ ...PageQuery, q: SearchText });
const READ = 'Any role (client-limited callers see the default policy and their clients’ policies).';
const WRITE = 'Admin or higher, not limited to clients.';
const cal = businessCalendars;
const pol = slaPolicies;

function writer(auth: AppEnv['Variables']['auth'], what: string) {
  requireRole(auth, 'admin');
  requireAllClients(auth, what);
}

const calendarExists = (tenantId: string, id: string) => sql`EXISTS (SELECT 1 FROM business_calendars x WHERE x.id = ${id} AND x.tenant_id = ${tenantId})`;
const policyExists = (tenantId: string, id: string) => sql`EXISTS (SELECT 1 FROM sla_policies x WHERE x.id = ${id} AND x.tenant_id = ${tenantId})`;
// The hub keeps policies and calendars in memory to time the tickets its rules open.
export const businessCalendarsRoutes = new Hono<AppEnv>()
  .use('*', requireAuth)
  .get(
    '/',
    describeRoute({ tags: ['sla'], summary: 'List business calendars by name', description: READ, responses: { 200: jsonBody('a page', BusinessCalendarPage), ...errors(400, 401) } }),
    valid('query', ListQuery),
    async (c) => {
      const { auth, db } = c.var;
      const { cursor, limit = DEFAULT_LIMIT, q } = c.req.valid('query');
      const rows = await db
        .select(calendarColumns)
        .from(cal)
        .where(and(eq(cal.tenantId, auth.tenantId), matches(q, cal.name), afterName(cursor, cal.name, cal.id)))
        .orderBy(...byName(cal.name, cal.id))
        .limit(limit + 1)
        .all();
      return c.json(toPage(rows, limit, nameKey), 200);
    },
  )
  .post(
    '/',
    describeRoute({ tags: ['sla'], summary: 'Create a business calendar', description: WRITE, responses: { 201: jsonBody('created', BusinessCalendar), ...errors(400, 401, 403) } }),
    valid('json', CalendarBody),
    async (c) => {
      const { auth, db } = c.var;
      writer(auth, 'a business calendar');
      const body = c.req.valid('json');
      const now = Date.now();
      const id = newId('cal', now);
      await db.batch([
        db.insert(cal).values({ id, tenantId: auth.tenantId, ...body, createdAt: now, updatedAt: now }),
        auditInsert(db, c, { action: 'business_calendar.create', targetType: 'business_calendar', targetId: id, detail: { name: body.name, timezone: body.timezone } }),
      ]);
      await tellConfigChanged(c);
      return c.json(await findCalendar(db, auth.tenantId, id), 201);
    },
  )
  .get(
    '/:id',
    describeRoute({ tags: ['sla'], summary: 'One business calendar', description: READ, responses: { 200: jsonBody('the calendar', BusinessCalendar), ...errors(401, 404) } }),
    valid('param', IdParam),
    async (c) => c.json(await findCalendar(c.var.db, c.var.auth.tenantId, c.req.valid('param').id), 200),
  )
  .patch(
    '/:id',
    describeRoute({ tags: ['sla'], summary: 'Change a business calendar (hours and holidays are replaced whole)', description: WRITE, responses: { 200: jsonBody('the calendar', BusinessCalendar), ...errors(400, 401, 403, 404) } }),
    valid('param', IdParam),
    valid('json', UpdateCalendarBody),
    async (c) => {
      const { auth, db } = c.var;
      writer(auth, 'a business calendar');
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      await findCalendar(db, auth.tenantId, id);
      const [, updated] = await db.batch([
        auditWhere(db, c, { action: 'business_calendar.update', targetType: 'business_calendar', targetId: id, detail: { fields: Object.keys(body) } }, calendarExists(auth.tenantId, id)),
        db.update(cal).set({ ...body, updatedAt: Date.now() }).where(and(eq(cal.tenantId, auth.tenantId), eq(cal.id, id))),
      ]);
      if (changes(updated) !== 1) throw notFound('business calendar');
      await tellConfigChanged(c);
      return c.json(await findCalendar(db, auth.tenantId, id), 200);
    },
  )
  .delete(
    '/:id',
    describeRoute({ tags: ['sla'], summary: 'Delete a business calendar no policy uses', description: `${WRITE} A calendar in use answers 409.`, responses: { 204: noContent, ...errors(401, 403, 404, 409) } }),
    valid('param', IdParam),
    async (c) => {
      const { auth, db } = c.var;
      writer(auth, 'a business calendar');
      const { id } = c.req.valid('param');
      const calendar = await findCalendar(db, auth.tenantId, id);
      const guard = calendarUnused(auth.tenantId, id);
      const [, deleted] = await db.batch([
        auditWhere(db, c, { action: 'business_calendar.delete', targetType: 'business_calendar', targetId: id, detail: { name: calendar.name } }, and(guard, calendarExists(auth.tenantId, id))!),
        db.delete(cal).where(and(eq(cal.tenantId, auth.tenantId), eq(cal.id, id), guard)),
      ]);
      if (changes(deleted) !== 1) throw new ApiError(409, 'conflict', `business calendar "${calendar.name}" is used by an SLA policy; change the policy first`);
      await tellConfigChanged(c);
      return c.body(null, 204);
    },
  );

export const slaPoliciesRoutes = new Hono<AppEnv>()
  .use('*', requireAuth)
  .get(
    '/',
    describeRoute({ tags: ['sla'], summary: 'List SLA policies by name', description: READ, responses: { 200: jsonBody('a page', SlaPolicyPage), ...errors(400, 401) } }),
    valid('query', ListQuery),
    async (c) => {
      const { auth, db } = c.var;
      const { cursor, limit = DEFAULT_LIMIT, q } = c.req.valid('query');
      const rows = await db
        .select(policyColumns)
        .from(pol)
        .where(and(policyScope(auth), matches(q, pol.name), afterName(cursor, pol.name, pol.id)))
        .orderBy(...byName(pol.name, pol.id))
        .limit(limit + 1)
        .all();
      return c.json(toPage(rows, limit, nameKey), 200);
    },
  )
  .post(
    '/',
    describeRoute({
      tags: ['sla'],
      summary: 'Create an SLA policy for a client, or the tenant default (clientId null)',
      description: `${WRITE} One policy per client and one default: a second answers 409. Targets are business minutes of the calendar (round the clock without one).`,
      responses: { 201: jsonBody('created', SlaPolicy), ...errors(400, 401, 403, 409) },
    }),
    valid('json', SlaPolicyBody),
    async (c) => {
      const { auth, db } = c.var;
      writer(auth, 'an SLA policy');
      const body = c.req.valid('json');
      await assertPolicyRefs(db, auth.tenantId, body);
      const now = Date.now();
      const id = newId('sla', now);
      const free = scopeFree(auth.tenantId, body.clientId);
      const [, inserted] = await db.batch([
        auditWhere(db, c, { action: 'sla_policy.create', targetType: 'sla_policy', targetId: id, detail: { name: body.name, clientId: body.clientId } }, free),
        insertWhere(db, pol, { id, tenantId: auth.tenantId, ...body, createdAt: now, updatedAt: now }, free),
      ]);
      if (changes(inserted) !== 1) throw scopeTaken(body.clientId);
      await tellConfigChanged(c);
      return c.json(await findPolicy(db, auth, id), 201);
    },
  )
  .get(
    '/:id',
    describeRoute({ tags: ['sla'], summary: 'One SLA policy', description: READ, responses: { 200: jsonBody('the policy', SlaPolicy), ...errors(401, 404) } }),
    valid('param', IdParam),
    async (c) => c.json(await findPolicy(c.var.db, c.var.auth, c.req.valid('param').id), 200),
  )
  .patch(
    '/:id',
    describeRoute({ tags: ['sla'], summary: 'Change an SLA policy (targets are replaced whole)', description: `${WRITE} Moving it onto a client that has a policy answers 409.`, responses: { 200: jsonBody('the policy', SlaPolicy), ...errors(400, 401, 403, 404, 409) } }),
    valid('param', IdParam),
    valid('json', UpdateSlaPolicyBody),
    async (c) => {
      const { auth, db } = c.var;
      writer(auth, 'an SLA policy');
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const before = await findPolicy(db, auth, id);
      await assertPolicyRefs(db, auth.tenantId, body);
      const clientId = body.clientId === undefined ? before.clientId : body.clientId;
      const guard = and(policyExists(auth.tenantId, id), scopeFree(auth.tenantId, clientId, id))!;
      const [, updated] = await db.batch([
        auditWhere(db, c, { action: 'sla_policy.update', targetType: 'sla_policy', targetId: id, detail: { fields: Object.keys(body) } }, guard),
        db.update(pol).set({ ...body, updatedAt: Date.now() }).where(and(eq(pol.tenantId, auth.tenantId), eq(pol.id, id), guard)),
      ]);
      if (changes(updated) !== 1) {
        await findPolicy(db, auth, id);
        throw scopeTaken(clientId);
      }
      await tellConfigChanged(c);
      return c.json(await findPolicy(db, auth, id), 200);
    },
  )
  .delete(
    '/:id',
    describeRoute({ tags: ['sla'], summary: 'Delete an SLA policy', description: `${WRITE} Tickets keep the due times they were given.`, responses: { 204: noContent, ...errors(401, 403, 404) } }),
    valid('param', IdParam),
    async (c) => {
      const { auth, db } = c.var;
      writer(auth, 'an SLA policy');
      const { id } = c.req.valid('param');
      const policy = await findPolicy(db, auth, id);
      const [, deleted] = await db.batch([
        auditWhere(db, c, { action: 'sla_policy.delete', targetType: 'sla_policy', targetId: id, detail: { name: policy.name } }, policyExists(auth.tenantId, id)),
        db.delete(pol).where(and(eq(pol.tenantId, auth.tenantId), eq(pol.id, id))),
      ]);
      if (changes(deleted) !== 1) throw notFound('SLA policy');
      await tellConfigChanged(c);
      return c.body(null, 204);
    },
  );
