import { and, eq, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { clients, devices, sites, users } from '../../../db/schema';
import { tickets } from '../../../db/desk-schema';
import type { Ticket } from '../../../protocol/api/tickets';
import type { AuthContext, Db } from '../../types';
import { badRequest, notFound } from '../errors';
import { clientFilter } from '../roles';
import { matches } from '../list-query';

/*
 * Reading tickets as the caller may see them: the tenant and, for a user limited to some
 * clients, only those clients' tickets (another client's ticket is a plain 404).
 */

const t = tickets;
export const ticketColumns = {
  id: t.id,
  number: t.number,
  clientId: t.clientId,
  clientName: clients.name,
  siteId: t.siteId,
  deviceId: t.deviceId,
  hostname: sql<string | null>`coalesce(${devices.displayName}, ${devices.hostname})`,
  title: t.title,
  description: t.description,
  priority: t.priority,
  status: t.status,
  assigneeId: t.assigneeId,
  source: t.source,
  requesterId: t.requesterId,
  ruleId: t.ruleId,
  createdAt: t.createdAt,
  updatedAt: t.updatedAt,
  firstResponseAt: t.firstResponseAt,
  resolvedAt: t.resolvedAt,
  closedAt: t.closedAt,
  slaPolicyId: t.slaPolicyId,
  firstResponseDueAt: t.firstResponseDueAt,
  resolutionDueAt: t.resolutionDueAt,
  firstResponseBreachedAt: t.firstResponseBreachedAt,
  resolutionBreachedAt: t.resolutionBreachedAt,
  slaPausedAt: t.slaPausedAt,
};

/** `q` matched against `columns`; as a ticket number (`42` or `#42`) it also finds that ticket. */
export function ticketSearch(q: string | undefined, ...columns: SQLiteColumn[]): SQL | undefined {
  if (!q) return undefined;
  const number = /^#?(\d{1,9})$/.exec(q);
  const text = matches(q, ...columns);
  return number ? or(text, eq(tickets.number, Number(number[1]))) : text;
}

export function ticketScope(auth: AuthContext): SQL {
  return and(eq(t.tenantId, auth.tenantId), clientFilter(auth, t.clientId))!;
}

export function selectTickets(db: Db) {
  return db
    .select(ticketColumns)
    .from(t)
    .leftJoin(clients, and(eq(clients.id, t.clientId), eq(clients.tenantId, t.tenantId)))
    .leftJoin(devices, and(eq(devices.id, t.deviceId), eq(devices.tenantId, t.tenantId)));
}

/** A ticket the caller may see, or the 404 of a missing one. */
export async function findTicket(db: Db, auth: AuthContext, id: string): Promise<Ticket> {
  const row = await selectTickets(db)
    .where(and(ticketScope(auth), eq(t.id, id)))
    .get();
  if (!row) throw notFound('ticket');
  return row;
}

/**
 * An assignee must be an active user of the tenant who may see the ticket's client
 * (a user limited to other clients could never open it).
 */
export async function assertAssignee(db: Db, tenantId: string, clientId: string, userId: string, path = 'assigneeId'): Promise<void> {
  const user = await db
    .select({ clientIds: users.clientIds, role: users.role })
    .from(users)
    .where(and(eq(users.tenantId, tenantId), eq(users.id, userId), isNull(users.disabledAt)))
    .get();
  if (!user) throw badRequest('unknown assignee', [{ path, message: 'no such active user in this tenant' }]);
  // Portal users follow tickets; they do not work them.
  if (user.role === 'client') throw badRequest('assignee is a portal user', [{ path, message: 'client portal users cannot be assignees' }]);
  if (user.clientIds && !user.clientIds.includes(clientId)) {
    throw badRequest('assignee cannot see this client', [{ path, message: 'this user is limited to other clients' }]);
  }
}

/** The site and device of a new ticket must belong to its client (and tenant). */
export async function assertPlacement(db: Db, tenantId: string, clientId: string, siteId: string | null, deviceId: string | null) {
  const client = await db
    .select({ id: clients.id })
    .from(clients)
    .where(and(eq(clients.tenantId, tenantId), eq(clients.id, clientId)))
    .get();
  if (!client) throw notFound('client');
  const issues: { path: string; message: string }[] = [];
  let site = siteId;
  if (deviceId) {
    const device = await db
      .select({ siteId: devices.siteId })
      .from(devices)
      .where(and(eq(devices.tenantId, tenantId), eq(devices.id, deviceId), eq(devices.clientId, clientId)))
      .get();
    if (!device) issues.push({ path: 'deviceId', message: 'no such device of this client' });
    else if (siteId && device.siteId !== siteId) issues.push({ path: 'siteId', message: 'the device is at another site' });
    else site = device.siteId;
  }
  if (siteId && !issues.length) {
    const row = await db
      .select({ id: sites.id })
      .from(sites)
      .where(and(eq(sites.tenantId, tenantId), eq(sites.id, siteId), eq(sites.clientId, clientId)))
      .get();
    if (!row) issues.push({ path: 'siteId', message: 'no such site of this client' });
  }
  if (issues.length) throw badRequest('site or device does not belong to the client', issues);
  return { siteId: site, deviceId };
}
