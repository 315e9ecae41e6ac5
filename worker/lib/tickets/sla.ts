import { and, eq, isNull, sql } from 'drizzle-orm';
import type { DrizzleD1Database } from 'drizzle-orm/d1';
import { businessCalendars, slaPolicies } from '../../../db/desk-schema';
import { addBusinessMinutes, addCalendarMinutes, type BusinessCalendarHours } from '../../../protocol/business-hours';
import type { TicketPriority } from '../../../protocol/api/tickets';

/*
 * SLA due times of a ticket: the client's policy, else the tenant's default, else none.
 * Targets are business minutes counted from the ticket's creation in the policy's calendar
 * (round the clock when the policy names none). Used on create and on a priority change.
 */

type AnyD1 = DrizzleD1Database<Record<string, unknown>>;

export interface SlaClocks {
  policyId: string;
  firstResponseDueAt: number | null;
  resolutionDueAt: number | null;
}

/** The policy that governs a client's tickets, with its calendar (null = round the clock). */
export async function policyFor(db: AnyD1, tenantId: string, clientId: string) {
  // The client's own policy sorts before the default (NULL client) one.
  const row = await db
    .select({ id: slaPolicies.id, targets: slaPolicies.targets, calendar: { timezone: businessCalendars.timezone, hours: businessCalendars.hours, holidays: businessCalendars.holidays } })
    .from(slaPolicies)
    .leftJoin(businessCalendars, and(eq(businessCalendars.id, slaPolicies.calendarId), eq(businessCalendars.tenantId, tenantId)))
    .where(and(eq(slaPolicies.tenantId, tenantId), sql`(${slaPolicies.clientId} = ${clientId} OR ${isNull(slaPolicies.clientId)})`))
    .orderBy(sql`${slaPolicies.clientId} IS NULL`, slaPolicies.id)
    .limit(1)
    .get();
  if (!row) return null;
  const calendar: BusinessCalendarHours | null = row.calendar?.timezone ? (row.calendar as BusinessCalendarHours) : null;
  return { id: row.id, targets: row.targets, calendar };
}

export type GoverningPolicy = NonNullable<Awaited<ReturnType<typeof policyFor>>>;
export type TenantPolicy = GoverningPolicy & { clientId: string | null };

/** Every policy of the tenant with its calendar, for a caller that keeps them (pick with `governing`). */
export async function tenantPolicies(db: AnyD1, tenantId: string): Promise<TenantPolicy[]> {
  const rows = await db
    .select({ id: slaPolicies.id, clientId: slaPolicies.clientId, targets: slaPolicies.targets, calendar: { timezone: businessCalendars.timezone, hours: businessCalendars.hours, holidays: businessCalendars.holidays } })
    .from(slaPolicies)
    .leftJoin(businessCalendars, and(eq(businessCalendars.id, slaPolicies.calendarId), eq(businessCalendars.tenantId, tenantId)))
    .where(eq(slaPolicies.tenantId, tenantId))
    .orderBy(slaPolicies.id)
    .all();
  return rows.map((r) => ({ id: r.id, clientId: r.clientId, targets: r.targets, calendar: r.calendar?.timezone ? (r.calendar as BusinessCalendarHours) : null }));
}

/** policyFor's choice among `tenantPolicies`: the client's own, else the default. */
export function governing(policies: TenantPolicy[], clientId: string): GoverningPolicy | null {
  return policies.find((p) => p.clientId === clientId) ?? policies.find((p) => p.clientId === null) ?? null;
}

/** `pausedMinutes`: business time the ticket has spent pending, which the resolution target does not count. */
export function dueTimes(
  policy: GoverningPolicy,
  priority: TicketPriority,
  createdAt: number,
  pausedMinutes = 0,
): SlaClocks {
  const target = policy.targets[priority];
  const add = (minutes: number | undefined) => {
    if (minutes === undefined) return null;
    return policy.calendar ? addBusinessMinutes(policy.calendar, createdAt, minutes) : addCalendarMinutes(createdAt, minutes);
  };
  const resolution = target?.resolutionMinutes;
  return { policyId: policy.id, firstResponseDueAt: add(target?.firstResponseMinutes), resolutionDueAt: add(resolution === undefined ? undefined : resolution + pausedMinutes) };
}

/** The clocks for a ticket of this client and priority opened at `createdAt`; null without a policy. */
export async function slaClocks(db: AnyD1, tenantId: string, clientId: string, priority: TicketPriority, createdAt: number, pausedMinutes = 0): Promise<SlaClocks | null> {
  const policy = await policyFor(db, tenantId, clientId);
  return policy ? dueTimes(policy, priority, createdAt, pausedMinutes) : null;
}

/** The calendar a ticket's SLA policy counts in; null = round the clock (or no such policy any more). */
export async function calendarOf(db: AnyD1, tenantId: string, policyId: string | null): Promise<BusinessCalendarHours | null> {
  if (!policyId) return null;
  const row = await db
    .select({ timezone: businessCalendars.timezone, hours: businessCalendars.hours, holidays: businessCalendars.holidays })
    .from(slaPolicies)
    .innerJoin(businessCalendars, and(eq(businessCalendars.id, slaPolicies.calendarId), eq(businessCalendars.tenantId, tenantId)))
    .where(and(eq(slaPolicies.tenantId, tenantId), eq(slaPolicies.id, policyId)))
    .get();
  return row ? (row as BusinessCalendarHours) : null;
}
