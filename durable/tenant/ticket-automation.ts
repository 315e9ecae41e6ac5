import { and, desc, eq, gte, ne, notInArray, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { alerts } from '../../db/schema';
import { ticketAlerts, ticketComments, ticketEvents, tickets } from '../../db/desk-schema';
import type { TenantFeedFrame } from '../../protocol/live';
import type { TicketChangedInput } from '../../protocol/ticket-change';
import { renderBody, renderTitle, templateValues } from '../../protocol/templates';
import { createTicket } from '../../worker/lib/tickets/create';
import { slaClocks } from '../../worker/lib/tickets/sla';
import { newId } from '../../worker/lib/ids';
import { isUniqueViolation } from '../../worker/lib/sql-helpers';
import type { Schedule } from '../device/schedule';
import type { ActiveAlert } from './active-alerts';
import type { AlertEventInput } from './alert-records';
import type { TenantJobKind } from './alert-lifecycle';
import { pickAssignee } from './ticket-assignee';
import { alertFacts, deviceFacts, ruleMatches, templateContext, type AlertFacts, type DeviceFacts } from './ticket-match';
import type { TicketRuleCache } from './ticket-rule-cache';

/*
 * Alert→ticket rules, run by the TenantHub after each committed alert change. An opening
 * (or the end of the maintenance window that kept it quiet) finds the first enabled rule
 * that matches and either joins the open ticket of the same rule, device and check inside
 * the dedup window or opens a ticket. A resolution closes the rule's ticket once every
 * alert linked to it is resolved, when the rule says so. Every step checks D1 before it
 * writes, so running one twice changes nothing; a step that fails is retried from the
 * hub's schedule (the alert change itself is already committed and will not come again).
 */

const RETRY_MS = 30_000;
const CLOSED = ['resolved', 'closed'] as const;

type Intent = 'open' | 'resolve' | 'reopen';

export interface TicketAutomationDeps {
  d1: D1Database;
  tenantId: () => Promise<string>;
  rules: TicketRuleCache;
  schedule: Schedule<TenantJobKind>;
  publish: (frame: TenantFeedFrame, clientId: string) => void;
  /** Told of each ticket it opened or moved (integrations, SLA timers); optional for tests. */
  changed?: (change: TicketChangedInput) => Promise<unknown>;
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
    const linked = await this.linkedTicket(tenantId, a.id);
    if (intent === 'resolve') return linked ? this.resolve(tenantId, linked, a, at) : undefined;
    if (linked) return intent === 'reopen' ? this.reopen(tenantId, linked, a, at) : undefined;
    await this.open(tenantId, a, at);
  }

  private linkedTicket(tenantId: string, alertId: string): Promise<TicketHead | undefined> {
    return this.db()
      .select(head)
      .from(ticketAlerts)
      .innerJoin(tickets, and(eq(tickets.id, ticketAlerts.ticketId), eq(tickets.tenantId, tenantId)))
      .where(and(eq(ticketAlerts.alertId, alertId), eq(ticketAlerts.tenantId, tenantId)))
      .get();
  }

  private async open(tenantId: string, a: AlertFacts, at: number): Promise<void> {
    const rules = (await this.d.rules.all()).filter((r) => r.enabled);
    if (rules.length === 0) return;
    const device = await deviceFacts(this.d.d1, tenantId, a.deviceId);
    if (!device) return;
    const rule = rules.find((r) => ruleMatches(r, a, device));
    if (!rule) return;
    const dedupKey = `${rule.id}:${a.deviceId}:${a.checkKey}`;
    const db = this.db();
    if (rule.dedupMinutes > 0) {
      const open = await db
        .select(head)
        .from(tickets)
        .where(
          and(
            eq(tickets.tenantId, tenantId),
            eq(tickets.dedupKey, dedupKey),
            notInArray(tickets.status, [...CLOSED]),
            gte(tickets.lastAlertAt, at - rule.dedupMinutes * 60_000),
          ),
        )
        .orderBy(desc(tickets.lastAlertAt))
        .limit(1)
        .get();
      if (open) return this.join(tenantId, open, a, device, at);
    }
    const values = templateValues(templateContext(a, device));
    const title = renderTitle(rule.titleTemplate, values) || `${a.checkName} on ${device.displayName ?? device.hostname}`.slice(0, 200);
    const priority = rule.priorityMap[a.severity];
    const assigneeId = await pickAssignee(this.d.d1, tenantId, rule, a.clientId);
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
        dedupKey,
        alertId: a.id,
        actorId: null,
        sla: await slaClocks(db, tenantId, a.clientId, priority, at),
      },
      at,
    );
    this.d.publish({ t: 'ticket', ticket: { id: created.id, number: created.number, title, status: 'new', priority, clientId: a.clientId } }, a.clientId);
    await this.tell({ ticketId: created.id, kind: 'created', actorId: null, at });
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
  private async tell(change: TicketChangedInput): Promise<void> {
    try {
      await this.d.changed?.(change);
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
