import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { clients } from '../../../db/schema';
import { businessCalendars, slaPolicies } from '../../../db/desk-schema';
import type { BusinessCalendar, SlaPolicy } from '../../../protocol/api/tickets';
import type { AuthContext, Db } from '../../types';
import { ApiError, badRequest, notFound } from '../errors';
import { clientFilter } from '../roles';

/* Reading and checking business calendars and SLA policies for their CRUD routes. */

const cal = businessCalendars;
const pol = slaPolicies;

export const calendarColumns = {
  id: cal.id,
  name: cal.name,
  timezone: cal.timezone,
  hours: cal.hours,
  holidays: cal.holidays,
  createdAt: cal.createdAt,
  updatedAt: cal.updatedAt,
};

export const policyColumns = {
  id: pol.id,
  name: pol.name,
  clientId: pol.clientId,
  calendarId: pol.calendarId,
  targets: pol.targets,
  createdAt: pol.createdAt,
  updatedAt: pol.updatedAt,
};

export async function findCalendar(db: Db, tenantId: string, id: string): Promise<BusinessCalendar> {
  const row = await db
    .select(calendarColumns)
    .from(cal)
    .where(and(eq(cal.tenantId, tenantId), eq(cal.id, id)))
    .get();
  if (!row) throw notFound('business calendar');
  return row;
}

/** Policies a caller may read: the tenant default and those of clients the caller sees. */
export function policyScope(auth: AuthContext): SQL {
  const limited = clientFilter(auth, pol.clientId);
  return and(eq(pol.tenantId, auth.tenantId), limited ? sql`(${isNull(pol.clientId)} OR ${limited})` : undefined)!;
}

export async function findPolicy(db: Db, auth: AuthContext, id: string): Promise<SlaPolicy> {
  const row = await db
    .select(policyColumns)
    .from(pol)
    .where(and(policyScope(auth), eq(pol.id, id)))
    .get();
  if (!row) throw notFound('SLA policy');
  return row;
}

/** The client and calendar a policy names must be the tenant's (400 naming the field otherwise). */
export async function assertPolicyRefs(db: Db, tenantId: string, body: { clientId?: string | null; calendarId?: string | null }) {
  const issues: { path: string; message: string }[] = [];
  if (body.clientId) {
    const row = await db.select({ id: clients.id }).from(clients).where(and(eq(clients.tenantId, tenantId), eq(clients.id, body.clientId))).get();
    if (!row) issues.push({ path: 'clientId', message: 'no such client' });
  }
  if (body.calendarId) {
    const row = await db.select({ id: cal.id }).from(cal).where(and(eq(cal.tenantId, tenantId), eq(cal.id, body.calendarId))).get();
    if (!row) issues.push({ path: 'calendarId', message: 'no such business calendar' });
  }
  if (issues.length) throw badRequest('unknown references', issues);
}

/** "No other policy governs the same client (or is the default)": one policy per scope. */
export const scopeFree = (tenantId: string, clientId: string | null, except?: string): SQL =>
  sql`NOT EXISTS (SELECT 1 FROM sla_policies x WHERE x.tenant_id = ${tenantId} AND ${
    clientId === null ? sql`x.client_id IS NULL` : sql`x.client_id = ${clientId}`
  } ${except ? sql`AND x.id <> ${except}` : sql``})`;

export const scopeTaken = (clientId: string | null) =>
  new ApiError(409, 'conflict', clientId === null ? 'the tenant already has a default SLA policy' : 'this client already has an SLA policy');

/** A calendar a policy uses cannot be deleted. */
export const calendarUnused = (tenantId: string, id: string): SQL =>
  sql`NOT EXISTS (SELECT 1 FROM sla_policies x WHERE x.tenant_id = ${tenantId} AND x.calendar_id = ${id})`;
