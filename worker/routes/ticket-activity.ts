import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import * as v from 'valibot';
import { and, eq, sql } from 'drizzle-orm';
import { ticketComments, ticketEvents, ticketTimeEntries, tickets } from '../../db/desk-schema';
import { Id } from '../../protocol/api/common';
import { CreateCommentBody, CreateTimeEntryBody, TicketComment, TimeEntry } from '../../protocol/api/tickets';
import type { AppEnv } from '../types';
import { valid } from '../lib/validate';
import { badRequest, forbidden, notFound } from '../lib/errors';
import { hasRole, requireRole } from '../lib/roles';
import { newId } from '../lib/ids';
import { auditInsert } from '../lib/audit';
import { auditWhere, changes, insertWhere } from '../lib/sql-helpers';
import { errors, jsonBody, noContent } from '../lib/responses';
import { findTicket } from '../lib/tickets/query';
import { tellHub } from '../lib/tickets/tell-hub';

/*
 * The thread and the clock of a ticket: comments (public or internal notes) and time entries.
 * Mounted inside the tickets routes, which authenticate every call.
 */

const tags = ['tickets'];
const EntryParam = v.object({ id: Id, entryId: Id });
/** Work logged ahead of time is allowed only as clock skew. */
const MAX_AHEAD_MS = 24 * 3600_000;

export const ticketActivityRoutes = new Hono<AppEnv>()
  .post(
    '/:id/comments',
    describeRoute({
      tags,
      summary: 'Add a comment or an internal note',
      description: 'Technician or higher. The first public comment by a technician records the first response (SLA).',
      responses: { 201: jsonBody('the comment', TicketComment), ...errors(400, 401, 403, 404) },
    }),
    valid('param', v.object({ id: Id })),
    valid('json', CreateCommentBody),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'technician');
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const ticket = await findTicket(db, auth, id);
      const now = Date.now();
      const comment = { id: newId('tcm', now), authorId: auth.userId, authorKind: 'user' as const, body: body.body, internal: body.internal, createdAt: now };
      await db.batch([
        db.insert(ticketComments).values({ ...comment, tenantId: auth.tenantId, ticketId: ticket.id }),
        db.insert(ticketEvents).values({
          id: newId('tev', now),
          tenantId: auth.tenantId,
          ticketId: ticket.id,
          at: now,
          actorId: auth.userId,
          kind: 'comment',
          detail: { commentId: comment.id, internal: body.internal },
        }),
        auditInsert(db, c, { action: 'ticket.comment', targetType: 'ticket', targetId: ticket.id, detail: { commentId: comment.id, internal: body.internal } }),
        db
          .update(tickets)
          .set({
            updatedAt: sql`max(${tickets.updatedAt} + 1, ${now})`,
            ...(body.internal ? {} : { firstResponseAt: sql`coalesce(${tickets.firstResponseAt}, ${now})` }),
          })
          .where(and(eq(tickets.tenantId, auth.tenantId), eq(tickets.id, ticket.id))),
      ]);
      // The first public reply stops the first-response clock: the hub drops its timer.
      if (!body.internal && ticket.firstResponseAt === null) {
        await tellHub(c.env, auth.tenantId, { ticketId: ticket.id, kind: 'responded', actorId: auth.userId, at: now });
      }
      return c.json(comment, 201);
    },
  )
  .post(
    '/:id/time-entries',
    describeRoute({
      tags,
      summary: 'Log time worked on a ticket',
      description: 'Technician or higher; 1 to 1440 minutes, billable by default, `workedAt` defaults to now (at most a day ahead).',
      responses: { 201: jsonBody('the entry', TimeEntry), ...errors(400, 401, 403, 404) },
    }),
    valid('param', v.object({ id: Id })),
    valid('json', CreateTimeEntryBody),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'technician');
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const now = Date.now();
      if (body.workedAt !== undefined && body.workedAt > now + MAX_AHEAD_MS) {
        throw badRequest('workedAt is in the future', [{ path: 'workedAt', message: 'at most a day ahead' }]);
      }
      const ticket = await findTicket(db, auth, id);
      const entry = { id: newId('tte', now), userId: auth.userId, minutes: body.minutes, billable: body.billable, note: body.note, workedAt: body.workedAt ?? now, createdAt: now };
      await db.batch([
        db.insert(ticketTimeEntries).values({ ...entry, tenantId: auth.tenantId, ticketId: ticket.id }),
        db.insert(ticketEvents).values({
          id: newId('tev', now),
          tenantId: auth.tenantId,
          ticketId: ticket.id,
          at: now,
          actorId: auth.userId,
          kind: 'time',
          detail: { entryId: entry.id, minutes: entry.minutes, billable: entry.billable },
        }),
        auditInsert(db, c, { action: 'ticket.time.add', targetType: 'ticket', targetId: ticket.id, detail: { entryId: entry.id, minutes: entry.minutes, billable: entry.billable } }),
      ]);
      return c.json(entry, 201);
    },
  )
  .delete(
    '/:id/time-entries/:entryId',
    describeRoute({
      tags,
      summary: 'Remove a time entry',
      description: 'Technicians remove their own entries; admins and owners anyone’s.',
      responses: { 204: noContent, ...errors(401, 403, 404) },
    }),
    valid('param', EntryParam),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'technician');
      const { id, entryId } = c.req.valid('param');
      const ticket = await findTicket(db, auth, id);
      const te = ticketTimeEntries;
      const where = and(eq(te.tenantId, auth.tenantId), eq(te.ticketId, ticket.id), eq(te.id, entryId));
      const entry = await db.select({ userId: te.userId, minutes: te.minutes, billable: te.billable }).from(te).where(where).get();
      if (!entry) throw notFound('time entry');
      if (entry.userId !== auth.userId && !hasRole(auth, 'admin')) throw forbidden('only an admin may remove another user’s time');
      const now = Date.now();
      const exists = sql`EXISTS (SELECT 1 FROM ticket_time_entries x WHERE x.id = ${entryId} AND x.tenant_id = ${auth.tenantId})`;
      const results = await db.batch([
        auditWhere(db, c, { action: 'ticket.time.delete', targetType: 'ticket', targetId: ticket.id, detail: { entryId, minutes: entry.minutes } }, exists),
        insertWhere(
          db,
          ticketEvents,
          { id: newId('tev', now), tenantId: auth.tenantId, ticketId: ticket.id, at: now, actorId: auth.userId, kind: 'time_removed', detail: { entryId, minutes: entry.minutes, billable: entry.billable } },
          exists,
        ),
        db.delete(te).where(where),
      ]);
      if (changes(results[results.length - 1]) !== 1) throw notFound('time entry');
      return c.body(null, 204);
    },
  );
