import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { DrizzleD1Database } from 'drizzle-orm/d1';
import { ticketEvents, tickets } from '../../../db/desk-schema';
import type { Ticket, TicketStatus } from '../../../protocol/api/tickets';
import { newId } from '../ids';
import { calendarOf } from './sla';
import { pauseChange } from './sla-pause';

/*
 * The SLA pause in D1. A status change by hand pauses or resumes in the PATCH's own batch;
 * a change made elsewhere (ticket automation, a customer's reply in the portal) is settled by
 * the hub when it is told of it, with writes guarded so a repeat or a race changes nothing.
 */

type AnyD1 = DrizzleD1Database<Record<string, unknown>>;
type Clocks = Partial<Pick<Ticket, 'slaPolicyId' | 'resolutionDueAt' | 'resolutionBreachedAt'>>;

/** Business minutes a ticket has spent pending so far (its resolution due time already counts them). */
export async function pausedMinutesOf(db: AnyD1, tenantId: string, ticketId: string): Promise<number> {
  const row = await db
    .select({ minutes: tickets.slaPausedMinutes })
    .from(tickets)
    .where(and(eq(tickets.tenantId, tenantId), eq(tickets.id, ticketId)))
    .get();
  return row?.minutes ?? 0;
}

/**
 * For a PATCH moving `before` to `status`: the columns to add to its update (`set` is what it
 * already sets, e.g. due times a priority change recomputed) and the history event.
 */
export async function pauseOnUpdate(db: AnyD1, tenantId: string, before: Ticket, status: TicketStatus, set: Clocks, now: number) {
  const pick = <K extends keyof Clocks>(k: K) => (set[k] !== undefined ? set[k] : before[k]) as Ticket[K];
  const state = { status: before.status, slaPausedAt: before.slaPausedAt, resolutionDueAt: pick('resolutionDueAt'), resolutionBreachedAt: pick('resolutionBreachedAt') };
  // Only a pause that ends needs the calendar.
  const calendar = state.slaPausedAt !== null && status !== 'pending' ? await calendarOf(db, tenantId, pick('slaPolicyId')) : null;
  const change = pauseChange(state, status, now, calendar);
  if (!change) return null;
  return { set: { ...change.set, slaPausedMinutes: sql`${tickets.slaPausedMinutes} + ${change.pausedMinutes}` }, event: change.event };
}

/** The row the hub settles a pause from. */
export interface PauseRow {
  id: string;
  status: TicketStatus;
  slaPolicyId: string | null;
  slaPausedAt: number | null;
  resolutionDueAt: number | null;
  resolutionBreachedAt: number | null;
}

const same = (column: SQL, value: number | null): SQL => (value === null ? sql`${column} IS NULL` : sql`${column} = ${value}`);

/**
 * Pauses a ticket found pending without a pause, or resumes one that left `pending`, as of
 * `at`. Both writes hold only while the ticket still stands as read. True when it changed.
 */
export async function settlePause(db: AnyD1, tenantId: string, t: PauseRow, at: number): Promise<boolean> {
  const calendar = t.slaPausedAt !== null && t.status !== 'pending' ? await calendarOf(db, tenantId, t.slaPolicyId) : null;
  const change = pauseChange(t, t.status, at, calendar);
  if (!change) return false;
  const guard = sql`x.id = ${t.id} AND x.tenant_id = ${tenantId} AND x.status = ${t.status} AND ${same(sql`x.sla_paused_at`, t.slaPausedAt)} AND ${same(sql`x.resolution_due_at`, t.resolutionDueAt)}`;
  const eventId = newId('tev', at);
  const [, updated] = await db.batch([
    // Columns in table order: id, tenant_id, ticket_id, at, actor_id, kind, detail.
    db.insert(ticketEvents).select(sql`SELECT ${eventId}, ${tenantId}, ${t.id}, ${at}, NULL, ${change.event.kind}, ${JSON.stringify(change.event.detail)} WHERE EXISTS (SELECT 1 FROM tickets x WHERE ${guard})`),
    db
      .update(tickets)
      .set({ ...change.set, slaPausedMinutes: sql`${tickets.slaPausedMinutes} + ${change.pausedMinutes}` })
      .where(sql`${tickets.id} IN (SELECT x.id FROM tickets x WHERE ${guard})`),
  ]);
  return ((updated as { meta?: { changes?: number } }).meta?.changes ?? 0) > 0;
}
