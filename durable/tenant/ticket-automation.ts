import { and, desc, eq, gte, ne, notInArray, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { alerts } from '../../db/schema';
import { ticketAlerts, ticketComments, ticketEvents, tickets } from '../../db/desk-schema';
import type { TenantFeedFrame } from '../../protocol/live';
import type { TicketChangedInput } from '../../protocol/ticket-change';
import { renderBody, renderTitle, templateValues } from '../../protocol/templates';
import { createTicket } from '../../worker/lib/tickets/create';
import { newId } from '../../worker/lib/ids';
import { isUniqueViolation } from '../../worker/lib/sql-helpers';
import type { Schedule } from '../device/schedule';
import type { ActiveAlert } from './active-alerts';
import type { AlertEventInput } from './alert-records';
import type { TenantJobKind } from './alert-lifecycle';
import { pickAssignee } from './ticket-assignee';
import type { SlaPolicyCache } from './sla-policy-cache';
import { alertFacts, deviceFactQueries, ruleMatches, templateContext, toDeviceFacts, type AlertFacts, type DeviceFacts } from './ticket-match';
import type { CachedRule, TicketRuleCache } from './ticket-rule-cache';
import { openedTicket, type WatchedTicket } from './ticket-watch';

/*
 * Alert→ticket rules, run by the TenantHub after each committed alert change. An opening
 * (or the end of the maintenance window that kept it quiet) finds the first enabled rule
 * that matches and either joins the open ticket of the same rule, device and check inside
 * the dedup window or opens a ticket. A resolution closes the rule's ticket once every
 * alert linked to it is resolved, when the rule says so. Every step checks D1 before it
 * writes, so running one twice changes nothing; a step that fails is retried from the
 * hub's schedule (the alert change itself is already committed and will not come again).
 * Every alert change waits in the hub's queue behind this work, so an opening reads all it
 * may need in one batch and takes rules and SLA policies from memory.
 */

const RETRY_MS = 30_000;
const CLOSED = ['resolved', 'closed'] as const;

type Intent = 'open' | 'resolve' | 'reopen';

export interface TicketAutomationDeps {
  d1: D1Database;
  tenantId: () => Promise<string>;
  rules: TicketRuleCache;
  sla: SlaPolicyCache;
  schedule: Schedule<TenantJobKind>;
  publish: (frame: TenantFeedFrame, clientId: string) => void;
  /** Told of each ticket it opened or moved (integrations, SLA timers); optional for tests. */
  changed?: (change: TicketChangedInput, written?: WatchedTicket) => Promise<unknown>;
}

interface TicketHead {
  id: string;
  number: number;
  title: string;
  status: (typeof tickets.$inferSelect)['status'];
  priority: (typeof tickets.$inferSelect)['priority'];
  clientId: string;
  ruleId: string | null;
}

const head = {
  id: tickets.id,
  number: tickets.number,
  title: tickets.title,
  status: tickets.status,
  priority: tickets.priority,
  clientId: tickets.clientId,
  ruleId: tickets.ruleId,
};

function intentOf(a: ActiveAlert, events: AlertEventInput[]): { intent: Intent; at: number } | null {
  for (const e of events) {
    if (e.kind === 'resolved') return { intent: 'resolve', at: e.at };
    if (a.suppressed || a.status === 'resolved') continue;
    if (e.kind === 'opened' || e.kind === 'maintenance_ended') return { intent: 'open', at: e.at };
    if (e.kind === 'flapping') return { intent: 'reopen', at: e.at };
  }
  return null;
}

export class TicketAutomation {
  constructor(private readonly d: TicketAutomationDeps) {}

  private db() {
    return drizzle(this.d.d1);
  }

  /** The AlertLifecycle listener: never throws (a failure is retried from the schedule). */
  async afterChange(a: ActiveAlert, events: AlertEventInput[]): Promise<void> {
    const step = intentOf(a, events);
    if (!step) return;
    try {
      await this.run(step.intent, a, step.at);
    } catch (err) {
      // The alert's link is unique: someone (a technician, a retry) linked it first. Done.
      if (isUniqueViolation(err)) return;
      console.error('ticket automation failed; retrying', a.id, step.intent, err);
      this.d.schedule.put('ticket', Date.now() + RETRY_MS, `ticket:${step.intent}:${a.id}`);
    }
  }

  /** A scheduled retry (`<intent>:<alertId>`), from the alert's D1 record. Throws to be retried again. */
  async retry(job: string, now: number): Promise<void> {
    const cut = job.indexOf(':');
    const intent = job.slice(0, cut) as Intent;
    const a = await alertFacts(this.d.d1, await this.d.tenantId(), job.slice(cut + 1));
    if (!a) return;
    if (intent !== 'resolve' && (a.suppressed || a.status === 'resolved')) return;
    try {
      await this.run(intent, a, now);
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
    }
  }

  private async run(intent: Intent, a: AlertFacts, at: number): Promise<void> {
    // Most tenants have few rules or none: decide from the cache before asking D1 anything.
    const rules = await this.d.rules.all();
    if (intent === 'open' && !rules.some((r) => r.enabled)) return;
    if (intent !== 'open' && rules.length === 0) return;
    const tenantId = await this.d.tenantId();
    if (intent !== 'resolve') return this.open(tenantId, intent, rules, a, at);
    const [linked] = await this.linkedTicket(this.db(), tenantId, a.id);
    if (linked) await this.resolve(tenantId, linked, a, at);
  }

  private linkedTicket(db: ReturnType<typeof drizzle>, tenantId: string, alertId: string) {
    return db
      .select(head)
      .from(ticketAlerts)
      .innerJoin(tickets, and(eq(tickets.id, ticketAlerts.ticketId), eq(tickets.tenantId, tenantId)))
      .where(and(eq(ticketAlerts.alertId, alertId), eq(ticketAlerts.tenantId, tenantId)))
      .limit(1);
  }

  /** Open tickets of these dedup keys whose last alert is no older than `since`, newest first. */
  private recentTickets(db: ReturnType<typeof drizzle>, tenantId: string, keys: string[], since: number) {
    return db
      .select({ ...head, dedupKey: tickets.dedupKey, lastAlertAt: tickets.lastAlertAt })
      .from(tickets)
      .where(
        and(
          eq(tickets.tenantId, tenantId),
          sql`${tickets.dedupKey} IN (SELECT value FROM json_each(${JSON.stringify(keys)}))`,
          notInArray(tickets.status, [...CLOSED]),
          gte(tickets.lastAlertAt, since),
        ),
      )
      .orderBy(desc(tickets.lastAlertAt));
  }

  /** An opening or a flap: the linked ticket, the device and the dedup candidates are one batch. */
  private async open(tenantId: string, intent: Intent, all: CachedRule[], a: AlertFacts, at: number): Promise<void> {
    const rules = all.filter((r) => r.enabled);
    const dedupKey = (r: CachedRule) => `${r.id}:${a.deviceId}:${a.checkKey}`;
    const deduping = rules.filter((r) => r.dedupMinutes > 0);
    const window = Math.max(0, ...deduping.map((r) => r.dedupMinutes)) * 60_000;
    const db = this.db();
    const [linked, dev, tags, recent] = await db.batch([
      this.linkedTicket(db, tenantId, a.id),
      ...deviceFactQueries(db, tenantId, a.deviceId),
      this.recentTickets(db, tenantId, deduping.map(dedupKey), at - window),
    ]);
    if (linked[0]) return intent === 'reopen' ? this.reopen(tenantId, linked[0], a, at) : undefined;
    if (rules.length === 0) return;
    const device = toDeviceFacts([dev, tags]);
    if (!device) return;
    const rule = rules.find((r) => ruleMatches(r, a, device));
    if (!rule) return;
    const key = dedupKey(rule);
    if (rule.dedupMinutes > 0) {
      const since = at - rule.dedupMinutes * 60_000;
      const open = recent.find((t) => t.dedupKey === key && t.lastAlertAt !== null && t.lastAlertAt >= since);
      if (open) return this.join(tenantId, open, a, device, at);
    }
    const values = templateValues(templateContext(a, device));
    const title = renderTitle(rule.titleTemplate, values) || `${a.checkName} on ${device.displayName ?? device.hostname}`.slice(0, 200);
    const priority = rule.priorityMap[a.severity];
    const assigneeId = await pickAssignee(this.d.d1, tenantId, rule, a.clientId);
    const sla = await this.d.sla.clocks(a.clientId, priority, at);
    const created = await createTicket(
      db,
      {
        tenantId,
        clientId: a.clientId,
        siteId: device.siteId,
        deviceId: a.deviceId,
        title,
        description: renderBody(rule.bodyTemplate, values),
        priority,
        source: 'alert',
        assigneeId,
        ruleId: rule.id,
        dedupKey: key,
        alertId: a.id,
        actorId: null,
        sla,
      },
      at,
    );
    this.d.publish({ t: 'ticket', ticket: { id: created.id, number: created.number, title, status: 'new', priority, clientId: a.clientId } }, a.clientId);
    // The watch needs the row just written; an assignee's name (or a device moved to another client) it reads itself.
    const written =
      assigneeId === null && device.clientId === a.clientId
        ? openedTicket({ ...created, title, priority, clientId: a.clientId, clientName: device.clientName, createdAt: at, slaPolicyId: sla?.policyId ?? null, firstResponseDueAt: sla?.firstResponseDueAt ?? null, resolutionDueAt: sla?.resolutionDueAt ?? null })
        : undefined;
    await this.tell({ ticketId: created.id, kind: 'created', actorId: null, at }, written);
  }

  /** A repeat inside the dedup window: linked to the open ticket, noted in its thread. */
  private async join(tenantId: string, t: TicketHead, a: AlertFacts, device: DeviceFacts, at: number): Promise<void> {
    const db = this.db();
    const now = Date.now();
    const host = device.displayName ?? device.hostname;
    await db.batch([
      // The unique index on alert_id makes a second link fail the whole batch.
      db.insert(ticketAlerts).values({ tenantId, ticketId: t.id, alertId: a.id, linkedAt: now }),
      db.insert(ticketEvents).values({ id: newId('tev', now), tenantId, ticketId: t.id, at: now, actorId: null, kind: 'alert_linked', detail: { alertId: a.id, repeat: true } }),
      this.comment(db, tenantId, t.id, `Alert repeated: ${a.checkName} on ${host} (${a.severity}): ${a.message}`, now),
      db
        .update(tickets)
        .set({ lastAlertAt: sql`max(coalesce(${tickets.lastAlertAt}, 0), ${at})`, updatedAt: now })
        .where(and(eq(tickets.id, t.id), eq(tickets.tenantId, tenantId))),
    ]);
    this.publish(t);
  }

  /** Resolves the rule's ticket when its last open alert resolves (and the rule closes on resolve). */
  private async resolve(tenantId: string, t: TicketHead, a: AlertFacts, at: number): Promise<void> {
    if (!t.ruleId || (CLOSED as readonly string[]).includes(t.status)) return;
    const rule = await this.d.rules.byId(t.ruleId);
    if (!rule?.closeOnResolve) return;
    const db = this.db();
    const stillOpen = await db
      .select({ n: sql<number>`count(*)`.mapWith(Number) })
      .from(ticketAlerts)
      .innerJoin(alerts, and(eq(alerts.id, ticketAlerts.alertId), eq(alerts.tenantId, tenantId)))
      .where(and(eq(ticketAlerts.ticketId, t.id), eq(ticketAlerts.tenantId, tenantId), ne(alerts.status, 'resolved')))
      .get();
    if ((stillOpen?.n ?? 0) > 0) return;
    const now = Date.now();
    await db.batch([
      db
        .update(tickets)
        .set({ status: 'resolved', resolvedAt: at, updatedAt: now })
        .where(and(eq(tickets.id, t.id), eq(tickets.tenantId, tenantId), notInArray(tickets.status, [...CLOSED]))),
      db.insert(ticketEvents).values({
        id: newId('tev', now),
        tenantId,
        ticketId: t.id,
        at: now,
        actorId: null,
        kind: 'status',
        detail: { from: t.status, to: 'resolved', alertId: a.id, ruleId: rule.id, reason: 'alerts_resolved' },
      }),
      this.comment(db, tenantId, t.id, `Alert resolved: ${a.checkName}: ${a.message}. Every linked alert is resolved, so rule "${rule.name}" resolved this ticket.`, now),
    ]);
    this.publish({ ...t, status: 'resolved' });
    await this.tell({ ticketId: t.id, kind: 'updated', changes: [{ field: 'status', from: t.status, to: 'resolved' }], actorId: null, at: now });
  }

  /** A flapping alert came back: the ticket its resolution closed opens again. */
  private async reopen(tenantId: string, t: TicketHead, a: AlertFacts, at: number): Promise<void> {
    if (t.status !== 'resolved' || !t.ruleId) return;
    const rule = await this.d.rules.byId(t.ruleId);
    if (!rule?.closeOnResolve) return;
    const db = this.db();
    const now = Date.now();
    await db.batch([
      db
        .update(tickets)
        .set({ status: 'open', resolvedAt: null, lastAlertAt: sql`max(coalesce(${tickets.lastAlertAt}, 0), ${at})`, updatedAt: now })
        .where(and(eq(tickets.id, t.id), eq(tickets.tenantId, tenantId), eq(tickets.status, 'resolved'))),
      db.insert(ticketEvents).values({ id: newId('tev', now), tenantId, ticketId: t.id, at: now, actorId: null, kind: 'status', detail: { from: 'resolved', to: 'open', alertId: a.id, reason: 'alert_reopened' } }),
      this.comment(db, tenantId, t.id, `Alert reopened (flapping): ${a.checkName}: ${a.message}`, now),
    ]);
    this.publish({ ...t, status: 'open' });
    await this.tell({ ticketId: t.id, kind: 'updated', changes: [{ field: 'status', from: 'resolved', to: 'open' }], actorId: null, at: now });
  }

  /* The ticket change is committed: a failure to announce it must not make the step retry. */
  private async tell(change: TicketChangedInput, written?: WatchedTicket): Promise<void> {
    try {
      await this.d.changed?.(change, written);
    } catch (err) {
      console.error('ticket change not announced', change.ticketId, err);
    }
  }

  private comment(db: ReturnType<typeof drizzle>, tenantId: string, ticketId: string, body: string, now: number) {
    return db
      .insert(ticketComments)
      .values({ id: newId('tcm', now), tenantId, ticketId, authorId: null, authorKind: 'system', body: body.slice(0, 20_000), internal: true, createdAt: now });
  }

  private publish(t: TicketHead): void {
    const { id, number, title, status, priority, clientId } = t;
    this.d.publish({ t: 'ticket', ticket: { id, number, title, status, priority, clientId } }, clientId);
  }
}
