import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import { devices, users } from '../../db/schema';
import { tickets } from '../../db/desk-schema';
import { IdParam } from '../../protocol/api/common';
import {
  PortalComment,
  PortalCommentBody,
  PortalCreateTicketBody,
  PortalTicket,
  PortalTicketDetail,
  PortalTicketListQuery,
  PortalTicketPage,
} from '../../protocol/api/portal';
import type { TicketStatus } from '../../protocol/api/tickets';
import type { AppEnv, AuthContext, Db } from '../types';
import { valid } from '../lib/validate';
import { notFound } from '../lib/errors';
import { DEFAULT_LIMIT, toPage } from '../lib/pagination';
import { beforeId, idKey } from '../lib/list-query';
import { enforceRateLimits } from '../lib/rate-limit';
import { errors, jsonBody } from '../lib/responses';
import { createTicket } from '../lib/tickets/create';
import { slaClocks } from '../lib/tickets/sla';
import { ticketSearch } from '../lib/tickets/query';
import { tellHub } from '../lib/tickets/tell-hub';
import { portalClientId } from '../lib/portal/scope';
import { findPortalTicket, portalComments, portalTicketScope, selectPortalTickets, toPortalTicket } from '../lib/portal/tickets';
import { addPortalReply } from '../lib/portal/reply';

/*
 * The client portal's tickets: a portal user opens, follows and answers their client's
 * tickets. Mounted inside the portal routes, which admit portal users only. Nothing here is
 * a privileged change (no audit rows); the ticket history names the portal user.
 */

const tags = ['portal'];
const t = tickets;
const STATES: Record<PortalTicketListQuery['state'], TicketStatus[] | null> = {
  open: ['new', 'open', 'pending'],
  done: ['resolved', 'closed'],
  all: null,
};
/** New tickets per portal user: enough for a bad day, not for a script flooding the queue. */
const TICKETS_PER_HOUR = { max: 20, windowMs: 3600_000 };

/** One of the client's own enrolled devices, or the 404 of a missing one. */
async function clientDevice(db: Db, auth: AuthContext, deviceId: string) {
  const row = await db
    .select({ id: devices.id, siteId: devices.siteId })
    .from(devices)
    .where(and(eq(devices.tenantId, auth.tenantId), eq(devices.clientId, portalClientId(auth)), eq(devices.id, deviceId), isNull(devices.revokedAt)))
    .get();
  if (!row) throw notFound('device');
  return row;
}

async function userName(db: Db, auth: AuthContext): Promise<string> {
  const row = await db
    .select({ name: users.name })
    .from(users)
    .where(and(eq(users.tenantId, auth.tenantId), eq(users.id, auth.userId)))
    .get();
  return row?.name ?? '';
}

export const portalTicketsRoutes = new Hono<AppEnv>()
  .get(
    '/',
    describeRoute({
      tags,
      summary: 'The client’s tickets, newest first (default: not yet resolved)',
      description: '`state`: open (new, open, pending), done (resolved, closed) or all; `mine=true`: only those the caller opened; `q` searches the title or finds a number.',
      responses: { 200: jsonBody('a page of tickets', PortalTicketPage), ...errors(400, 401, 403) },
    }),
    valid('query', PortalTicketListQuery),
    async (c) => {
      const { auth, db } = c.var;
      const q = c.req.valid('query');
      const limit = q.limit ?? DEFAULT_LIMIT;
      const statuses = STATES[q.state];
      const rows = await selectPortalTickets(db)
        .where(
          and(
            portalTicketScope(auth),
            statuses ? inArray(t.status, statuses) : undefined,
            q.mine === 'true' ? eq(t.requesterId, auth.userId) : undefined,
            ticketSearch(q.q, t.title),
            beforeId(q.cursor, t.id),
          ),
        )
        .orderBy(desc(t.id))
        .limit(limit + 1)
        .all();
      const page = toPage(rows, limit, idKey);
      return c.json({ items: page.items.map((r) => toPortalTicket(auth, r)), nextCursor: page.nextCursor }, 200);
    },
  )
  .post(
    '/',
    describeRoute({
      tags,
      summary: 'Open a ticket for the client',
      description: `Optionally about one of the client’s devices (another device answers 404). SLA due times apply as for any ticket. At most ${TICKETS_PER_HOUR.max} an hour per user (429).`,
      responses: { 201: jsonBody('the ticket', PortalTicket), ...errors(400, 401, 403, 404, 429) },
    }),
    valid('json', PortalCreateTicketBody),
    async (c) => {
      const { auth, db } = c.var;
      const body = c.req.valid('json');
      await enforceRateLimits(db, [{ key: `portal:ticket:${auth.userId}`, ...TICKETS_PER_HOUR }]);
      const clientId = portalClientId(auth);
      const device = body.deviceId ? await clientDevice(db, auth, body.deviceId) : null;
      const now = Date.now();
      const created = await createTicket(
        db,
        {
          tenantId: auth.tenantId,
          clientId,
          siteId: device?.siteId ?? null,
          deviceId: device?.id ?? null,
          title: body.title,
          description: body.description,
          priority: body.priority,
          source: 'portal',
          requesterId: auth.userId,
          actorId: auth.userId,
          sla: await slaClocks(db, auth.tenantId, clientId, body.priority, now),
        },
        now,
      );
      await tellHub(c.env, auth.tenantId, { ticketId: created.id, kind: 'created', actorId: auth.userId, at: now });
      return c.json(await findPortalTicket(db, auth, created.id), 201);
    },
  )
  .get(
    '/:id',
    describeRoute({
      tags,
      summary: 'One ticket of the client with its public comments',
      description: 'Internal notes, time, assignee, SLA clocks and history are the MSP’s and never shown. Another client’s ticket answers 404.',
      responses: { 200: jsonBody('the ticket', PortalTicketDetail), ...errors(401, 403, 404) },
    }),
    valid('param', IdParam),
    async (c) => {
      const { auth, db } = c.var;
      const ticket = await findPortalTicket(db, auth, c.req.valid('param').id);
      return c.json({ ticket, comments: await portalComments(db, auth.tenantId, ticket.id) }, 200);
    },
  )
  .post(
    '/:id/comments',
    describeRoute({
      tags,
      summary: 'Reply on a ticket of the client',
      description:
        'A reply on a pending or resolved ticket reopens it (`open`); a closed ticket answers 409 `ticket_closed`: open a new one. Technicians see the reply live; it does not count as the first response.',
      responses: { 201: jsonBody('the comment', PortalComment), ...errors(400, 401, 403, 404, 409) },
    }),
    valid('param', IdParam),
    valid('json', PortalCommentBody),
    async (c) => {
      const { auth, db } = c.var;
      const ticket = await findPortalTicket(db, auth, c.req.valid('param').id);
      const reply = await addPortalReply(db, auth, await userName(db, auth), ticket, c.req.valid('json').body);
      await tellHub(c.env, auth.tenantId, {
        ticketId: ticket.id,
        kind: 'updated',
        changes: reply.reopened ? [{ field: 'status', ...reply.reopened }] : [],
        actorId: auth.userId,
        at: reply.at,
      });
      return c.json(reply.comment, 201);
    },
  );
