import { and, eq, isNull, notInArray, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { clients, notifications, users } from '../../db/schema';
import { ticketEvents, tickets } from '../../db/desk-schema';
import type { IntegrationEvent } from '../../protocol/api/integrations';
import type { TenantFeedFrame } from '../../protocol/live';
import type { TicketChanged } from '../../protocol/ticket-change';
import { CLOCK_WORD, type SlaClock } from '../../worker/lib/integrations/chat-event';
import { newId, stableId } from '../../worker/lib/ids';
import { settlePause } from '../../worker/lib/tickets/sla-pause-store';
import type { Schedule } from '../device/schedule';
import type { TenantJobKind } from './alert-lifecycle';
import { userName } from './user-names';

/*
 * Tickets as the hub sees them: every change (by hand through the Worker, or by the alert
 * automation) is re-read from D1, fed to open dashboards, announced to integrations, and
 * sets the SLA timers. Each due time is one schedule job, `sla:<clock>:<ticketId>`; when it
 * fires the ticket is read again, so a reply, a resolution or a moved due time that the hub
 * was not told of still stops a false breach. A breach is recorded once: the notifications
 * and the integration event carry ids derived from (ticket, clock, due time), and the mark
 * on the ticket is written last, guarded by "not yet marked".
 */

const CLOCKS: SlaClock[] = ['first_response', 'resolution'];
const DONE = ['resolved', 'closed'];
/** Fields whose change is announced as ticket.updated (a new title or text is not news). */
const ANNOUNCED = new Set(['status', 'priority', 'assignee']);

export interface TicketWatchDeps {
  d1: D1Database;
  tenantId: () => Promise<string>;
  schedule: Schedule<TenantJobKind>;
  /** To the notifier: routed to integrations by the notification policies. */
  announce: (event: IntegrationEvent) => Promise<void>;
  publish: (frame: TenantFeedFrame, clientId: string) => void;
  notifyUser: (frame: TenantFeedFrame, userId: string) => void;
}

/** A ticket as the watch reads it; the automation hands over the one it just wrote. */
export type WatchedTicket = NonNullable<Awaited<ReturnType<TicketWatch['read']>>>;
type Row = WatchedTicket;

/** The row of a ticket just opened with no assignee, as read() would answer it. */
export function openedTicket(t: Pick<WatchedTicket, 'id' | 'number' | 'title' | 'priority' | 'clientId' | 'clientName' | 'createdAt' | 'slaPolicyId' | 'firstResponseDueAt' | 'resolutionDueAt'>): WatchedTicket {
  const none = { firstResponseAt: null, firstResponseBreachedAt: null, resolutionBreachedAt: null, slaPausedAt: null };
  return { ...t, ...none, status: 'new', assigneeId: null, assigneeName: null, updatedAt: t.createdAt };
}

const jobKey = (clock: SlaClock, ticketId: string) => `sla:${clock}:${ticketId}`;

/**
 * The due time a clock still runs against; null when it is stopped, met or already breached.
 * A pending ticket waits on the customer: its resolution clock is paused (worker/lib/tickets/sla-pause.ts),
 * while the first response is owed regardless.
 */
function pending(t: Row, clock: SlaClock): number | null {
  if (DONE.includes(t.status)) return null;
  if (clock === 'first_response') return t.firstResponseAt === null && t.firstResponseBreachedAt === null ? t.firstResponseDueAt : null;
  return t.resolutionBreachedAt === null && t.status !== 'pending' ? t.resolutionDueAt : null;
}

export class TicketWatch {
  constructor(private readonly d: TicketWatchDeps) {}

  private db() {
    return drizzle(this.d.d1);
  }

  private async read(ticketId: string) {
    const tenantId = await this.d.tenantId();
    return this.db()
      .select({
        id: tickets.id,
        number: tickets.number,
        title: tickets.title,
        status: tickets.status,
        priority: tickets.priority,
        clientId: tickets.clientId,
        clientName: clients.name,
        assigneeId: tickets.assigneeId,
        assigneeName: users.name,
        createdAt: tickets.createdAt,
        updatedAt: tickets.updatedAt,
        firstResponseAt: tickets.firstResponseAt,
        firstResponseDueAt: tickets.firstResponseDueAt,
        resolutionDueAt: tickets.resolutionDueAt,
        firstResponseBreachedAt: tickets.firstResponseBreachedAt,
        resolutionBreachedAt: tickets.resolutionBreachedAt,
        slaPolicyId: tickets.slaPolicyId,
        slaPausedAt: tickets.slaPausedAt,
      })
      .from(tickets)
      .leftJoin(clients, and(eq(clients.id, tickets.clientId), eq(clients.tenantId, tenantId)))
      .leftJoin(users, and(eq(users.id, tickets.assigneeId), eq(users.tenantId, tenantId)))
      .where(and(eq(tickets.id, ticketId), eq(tickets.tenantId, tenantId)))
      .get();
  }

  /** What integrations see of a ticket (also the chat messages' facts). */
  private view(t: Row) {
    const { firstResponseBreachedAt: _f, resolutionBreachedAt: _r, updatedAt: _u, slaPolicyId: _p, slaPausedAt: _s, ...rest } = t;
    return rest;
  }

  /** Sets, moves or cancels the ticket's SLA jobs from its current row. */
  private reschedule(t: Row): void {
    for (const clock of CLOCKS) {
      const due = pending(t, clock);
      if (due === null) this.d.schedule.remove(jobKey(clock, t.id));
      else this.d.schedule.put('sla', due, jobKey(clock, t.id));
    }
  }

  /**
   * A change already in D1. `live`: also push the dashboards' `ticket` frame (the automation
   * pushes its own). Safe to run twice: the event id is derived from the change. `written`:
   * the row as its writer just committed it, which spares the read.
   */
  async changed(change: TicketChanged, live: boolean, written?: WatchedTicket): Promise<boolean> {
    let t = written?.id === change.ticketId ? written : await this.read(change.ticketId);
    if (!t) return false;
    // A move into or out of `pending` made outside the ticket API (automation, the portal).
    if (await settlePause(this.db(), await this.d.tenantId(), t, change.at)) t = (await this.read(change.ticketId)) ?? t;
    this.reschedule(t);
    if (live) {
      const { id, number, title, status, priority, clientId } = t;
      this.d.publish({ t: 'ticket', ticket: { id, number, title, status, priority, clientId } }, clientId);
    }
    const announced = change.changes.filter((c) => ANNOUNCED.has(c.field));
    const type = change.kind === 'created' ? 'ticket.created' : change.kind === 'updated' && announced.length > 0 ? 'ticket.updated' : null;
    if (!type) return true;
    const data: Record<string, unknown> = { ticket: this.view(t) };
    if (type === 'ticket.updated') data.changes = announced;
    if (change.actorId) data.actor = { id: change.actorId, name: await userName(this.d.d1, await this.d.tenantId(), change.actorId) };
    await this.d.announce({ id: `${t.id}:${type}:${change.at}`, type, at: change.at, tenantId: await this.d.tenantId(), clientId: t.clientId, data });
    return true;
  }

  /** The `sla:<clock>:<ticketId>` job. Throws (and is retried) when D1 fails. */
  async breach(job: string, now: number): Promise<void> {
    const cut = job.indexOf(':');
    const clock = job.slice(0, cut) as SlaClock;
    if (!CLOCKS.includes(clock)) return;
    const t = await this.read(job.slice(cut + 1));
    if (!t) return;
    const due = pending(t, clock);
    if (due === null) return;
    // The due time moved later (a priority change the hub missed): wait for it.
    if (due > now) return this.d.schedule.put('sla', due, jobKey(clock, t.id));
    const tenantId = await this.d.tenantId();
    await this.escalate(tenantId, t, clock, due, now);
    await this.d.announce({
      id: `${t.id}:ticket.sla_breached:${clock}:${due}`,
      type: 'ticket.sla_breached',
      at: now,
      tenantId,
      clientId: t.clientId,
      data: { ticket: this.view(t), clock, dueAt: due },
    });
    await this.mark(tenantId, t, clock, due, now);
  }

  /** The breach mark and its history row, together and only once (a step that ran twice adds nothing). */
  private async mark(tenantId: string, t: Row, clock: SlaClock, due: number, now: number): Promise<void> {
    const first = clock === 'first_response';
    const column = first ? tickets.firstResponseBreachedAt : tickets.resolutionBreachedAt;
    const dueAt = first ? tickets.firstResponseDueAt : tickets.resolutionDueAt;
    const dueColumn = first ? 'first_response_due_at' : 'resolution_due_at';
    const breachedColumn = first ? 'first_response_breached_at' : 'resolution_breached_at';
    const db = this.db();
    // Both only while the clock still runs (a reply or resolution since the read wins) and is unmarked.
    const guard = sql`EXISTS (SELECT 1 FROM tickets x WHERE x.id = ${t.id} AND x.tenant_id = ${tenantId} AND x.${sql.raw(breachedColumn)} IS NULL AND x.${sql.raw(dueColumn)} = ${due} AND x.status NOT IN ('resolved', 'closed')${first ? sql` AND x.first_response_at IS NULL` : sql` AND x.status <> 'pending'`})`;
    const eventId = newId('tev', now);
    const detail = JSON.stringify({ clock, dueAt: due });
    await db.batch([
      // Columns in table order: id, tenant_id, ticket_id, at, actor_id, kind, detail.
      db.insert(ticketEvents).select(sql`SELECT ${eventId}, ${tenantId}, ${t.id}, ${now}, NULL, 'sla_breached', ${detail} WHERE ${guard}`),
      db
        .update(tickets)
        .set(first ? { firstResponseBreachedAt: now } : { resolutionBreachedAt: now })
        .where(and(eq(tickets.id, t.id), eq(tickets.tenantId, tenantId), isNull(column), eq(dueAt, due), notInArray(tickets.status, first ? ['resolved', 'closed'] : ['resolved', 'closed', 'pending']), first ? isNull(tickets.firstResponseAt) : undefined)),
    ]);
  }

  /** The assignee, else the admins and owners who may see the client; active users only. */
  private async recipients(tenantId: string, t: Row): Promise<string[]> {
    const rows = await this.db()
      .select({ id: users.id, role: users.role, clientIds: users.clientIds })
      .from(users)
      .where(and(eq(users.tenantId, tenantId), isNull(users.disabledAt)))
      .all();
    const sees = (u: (typeof rows)[number]) => u.clientIds === null || u.clientIds.includes(t.clientId);
    const assignee = rows.find((u) => u.id === t.assigneeId && sees(u));
    if (assignee) return [assignee.id];
    return rows.filter((u) => (u.role === 'owner' || u.role === 'admin') && sees(u)).map((u) => u.id);
  }

  /** In-app notifications (ids derived from the breach, so a retried job adds none) and their live frames. */
  private async escalate(tenantId: string, t: Row, clock: SlaClock, due: number, now: number): Promise<void> {
    const who = await this.recipients(tenantId, t);
    if (who.length === 0) return;
    const title = `SLA breached: #${t.number} ${t.title}`.slice(0, 300);
    const body = `The ${CLOCK_WORD[clock]} was due ${new Date(due).toISOString()} (${t.priority} priority, ${t.clientName ?? 'unknown client'}${t.assigneeId ? '' : ', unassigned'}).`;
    const list = await Promise.all(who.map(async (userId) => ({ id: await stableId('ntf', t.id, clock, due, userId), tenantId, userId, alertId: null, title, body, createdAt: now })));
    const db = this.db();
    // 100 bound parameters per statement: 8 columns a row leaves room for 12 rows.
    for (let i = 0; i < list.length; i += 12) {
      const added = await db.insert(notifications).values(list.slice(i, i + 12)).onConflictDoNothing().returning({ id: notifications.id });
      const fresh = new Set(added.map((a) => a.id));
      for (const n of list.slice(i, i + 12)) {
        if (!fresh.has(n.id)) continue;
        this.d.notifyUser({ t: 'notification', userId: n.userId, notification: { id: n.id, alertId: null, title: n.title, body: n.body, createdAt: n.createdAt } }, n.userId);
      }
    }
  }
}
