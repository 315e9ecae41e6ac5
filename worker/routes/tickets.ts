import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { and, desc, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import { ticketEvents, tickets } from '../../db/desk-schema';
import { IdParam } from '../../protocol/api/common';
import { CreateTicketBody, Ticket, TicketDetail, TicketListQuery, TicketPage, UpdateTicketBody } from '../../protocol/api/tickets';
import type { AppEnv } from '../types';
import { requireAuth } from '../middleware/auth';
import { valid } from '../lib/validate';
import { ApiError } from '../lib/errors';
import { assertClientVisible, requireRole } from '../lib/roles';
import { newId } from '../lib/ids';
import { audit } from '../lib/audit';
import { toPage } from '../lib/pagination';
import { beforeId, idKey } from '../lib/list-query';
import { auditWhere, changes, insertWhere } from '../lib/sql-helpers';
import { errors, jsonBody } from '../lib/responses';
import { createTicket } from '../lib/tickets/create';
import { slaClocks } from '../lib/tickets/sla';
import { assertAssignee, assertPlacement, findTicket, selectTickets, ticketScope, ticketSearch } from '../lib/tickets/query';
import { ticketDetail } from '../lib/tickets/detail';
import { ticketChange } from '../lib/tickets/changes';
import { fieldChanges, tellHub } from '../lib/tickets/tell-hub';
import { pausedMinutesOf, pauseOnUpdate } from '../lib/tickets/sla-pause-store';
import { ticketActivityRoutes } from './ticket-activity';
import { ticketAttachmentsRoutes } from './ticket-attachments';

const tags = ['tickets'];
const t = tickets;

export const ticketsRoutes = new Hono<AppEnv>()
  .use('*', requireAuth)
  .get(
    '/',
    describeRoute({
      tags,
      summary: 'List tickets, newest first. Default: every status but closed',
      description:
        'Read-only or higher; limited to the caller’s clients. `status` and `priority` take comma lists; `assigneeId` takes a user id, `me` or `unassigned`; `q` searches title, description and the number.',
      responses: { 200: jsonBody('a page of tickets', TicketPage), ...errors(400, 401) },
    }),
    valid('query', TicketListQuery),
    async (c) => {
      const { auth, db } = c.var;
      const q = c.req.valid('query');
      const limit = q.limit ?? 100;
      const assignee =
        q.assigneeId === undefined
          ? undefined
          : q.assigneeId === 'unassigned'
            ? isNull(t.assigneeId)
            : eq(t.assigneeId, q.assigneeId === 'me' ? auth.userId : q.assigneeId);
      const rows = await selectTickets(db)
        .where(
          and(
            ticketScope(auth),
            q.status?.length ? inArray(t.status, q.status) : ne(t.status, 'closed'),
            q.priority?.length ? inArray(t.priority, q.priority) : undefined,
            q.clientId ? eq(t.clientId, q.clientId) : undefined,
            assignee,
            q.source ? eq(t.source, q.source) : undefined,
            q.deviceId ? eq(t.deviceId, q.deviceId) : undefined,
            ticketSearch(q.q, t.title, t.description),
            beforeId(q.cursor, t.id),
          ),
        )
        .orderBy(desc(t.id))
        .limit(limit + 1)
        .all();
      return c.json(toPage(rows, limit, idKey), 200);
    },
  )
  .post(
    '/',
    describeRoute({
      tags,
      summary: 'Open a ticket by hand',
      description:
        'Technician or higher, for a client the caller may see. Site and device must belong to the client (a device sets the site); the assignee must be an active user who may see the client. SLA due times come from the client’s policy, else the tenant default.',
      responses: { 201: jsonBody('the ticket', Ticket), ...errors(400, 401, 403, 404) },
    }),
    valid('json', CreateTicketBody),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'technician');
      const body = c.req.valid('json');
      assertClientVisible(auth, body.clientId, 'client');
      const placement = await assertPlacement(db, auth.tenantId, body.clientId, body.siteId, body.deviceId);
      if (body.assigneeId) await assertAssignee(db, auth.tenantId, body.clientId, body.assigneeId);
      const now = Date.now();
      const created = await createTicket(
        db,
        {
          tenantId: auth.tenantId,
          clientId: body.clientId,
          ...placement,
          title: body.title,
          description: body.description,
          priority: body.priority,
          source: 'manual',
          requesterId: auth.userId,
          assigneeId: body.assigneeId,
          actorId: auth.userId,
          sla: await slaClocks(db, auth.tenantId, body.clientId, body.priority, now),
        },
        now,
      );
      await audit(c, { action: 'ticket.create', targetType: 'ticket', targetId: created.id, detail: { number: created.number, clientId: body.clientId } });
      await tellHub(c.env, auth.tenantId, { ticketId: created.id, kind: 'created', actorId: auth.userId, at: now });
      return c.json(await findTicket(db, auth, created.id), 201);
    },
  )
  .get(
    '/:id',
    describeRoute({
      tags,
      summary: 'One ticket with its linked alerts, comments, time entries (and totals), attachments and history',
      description: 'Read-only or higher; another client’s or tenant’s ticket answers 404.',
      responses: { 200: jsonBody('the ticket', TicketDetail), ...errors(401, 404) },
    }),
    valid('param', IdParam),
    async (c) => c.json(await ticketDetail(c.var.db, c.var.auth, c.req.valid('param').id), 200),
  )
  .patch(
    '/:id',
    describeRoute({
      tags,
      summary: 'Change title, description, priority, status or assignee',
      description:
        'Technician or higher. One history event per changed field. Resolving stamps resolvedAt, closing closedAt; reopening clears them; a ticket never goes back to `new` (409). A priority change recomputes the SLA due times from the creation time. A concurrent change answers 409: reload and retry.',
      responses: { 200: jsonBody('the ticket', Ticket), ...errors(400, 401, 403, 404, 409) },
    }),
    valid('param', IdParam),
    valid('json', UpdateTicketBody),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'technician');
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const before = await findTicket(db, auth, id);
      const now = Math.max(Date.now(), before.updatedAt + 1);
      const change = ticketChange(before, body, now);
      if (change.events.length === 0) return c.json(before, 200);
      if (change.set.assigneeId) await assertAssignee(db, auth.tenantId, before.clientId, change.set.assigneeId);
      const set: Partial<typeof t.$inferInsert> = { ...change.set, updatedAt: now };
      if (change.set.priority) {
        // Time already spent pending does not count against the new target either.
        const paused = await pausedMinutesOf(db, auth.tenantId, id);
        const clocks = await slaClocks(db, auth.tenantId, before.clientId, change.set.priority, before.createdAt, paused);
        Object.assign(set, {
          slaPolicyId: clocks?.policyId ?? null,
          firstResponseDueAt: clocks?.firstResponseDueAt ?? null,
          resolutionDueAt: clocks?.resolutionDueAt ?? null,
        });
        // New targets are judged afresh by whoever watches the clocks.
        if (clocks?.firstResponseDueAt !== before.firstResponseDueAt) set.firstResponseBreachedAt = null;
        if (clocks?.resolutionDueAt !== before.resolutionDueAt) set.resolutionBreachedAt = null;
      }
      // Into or out of `pending`: the resolution clock stops or runs again (later by the pause).
      const pause = change.set.status ? await pauseOnUpdate(db, auth.tenantId, before, change.set.status, set, now) : null;
      if (pause) {
        Object.assign(set, pause.set);
        change.events.push(pause.event);
      }
      // Everything commits only if nobody changed the ticket since it was read.
      const unchanged = sql`EXISTS (SELECT 1 FROM tickets x WHERE x.id = ${id} AND x.tenant_id = ${auth.tenantId} AND x.updated_at = ${before.updatedAt})`;
      // Ids of one millisecond sort randomly: sorted, they keep the fields' order in the history.
      const ids = change.events.map(() => newId('tev', now)).sort();
      const events = change.events.map((e, i) =>
        insertWhere(db, ticketEvents, { id: ids[i]!, tenantId: auth.tenantId, ticketId: id, at: now, actorId: auth.userId, kind: e.kind, detail: e.detail }, unchanged),
      );
      const auditRow = auditWhere(db, c, { action: 'ticket.update', targetType: 'ticket', targetId: id, detail: { fields: change.events.map((e) => e.kind) } }, unchanged);
      const update = db
        .update(t)
        .set(set)
        .where(and(eq(t.tenantId, auth.tenantId), eq(t.id, id), eq(t.updatedAt, before.updatedAt)));
      const results = await db.batch([auditRow, ...events, update]);
      if (changes(results[results.length - 1]) !== 1) throw new ApiError(409, 'conflict', 'the ticket changed meanwhile; reload and try again');
      await tellHub(c.env, auth.tenantId, { ticketId: id, kind: 'updated', changes: fieldChanges(change), actorId: auth.userId, at: now });
      return c.json(await findTicket(db, auth, id), 200);
    },
  )
  .route('/', ticketActivityRoutes)
  .route('/', ticketAttachmentsRoutes);
