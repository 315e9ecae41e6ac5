import { and, eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { integrations } from '../../db/integrations-schema';
import type { DeliveryResult, IntegrationEvent, IntegrationEventType } from '../../protocol/api/integrations';
import type { DeviceChange } from '../../protocol/live';
import { routeEvent } from '../../worker/lib/integrations/routing';
import type { ActiveAlert } from './active-alerts';
import { publicView } from './alert-lifecycle';
import type { AlertEventInput } from './alert-records';
import type { Policy } from './config-cache';
import { NotifyConfig } from './notify-config';
import { Outbox, type OutboxDeps } from './outbox';
import { userName, userNames } from './user-names';

export interface NotifierDeps extends OutboxDeps {
  /** The escalation policy an alert follows (the tier it reached may name integrations). */
  policy?: (id: string | null) => Promise<Policy | null>;
}

/**
 * Turns what happens in the hub (alert changes, device status) into IntegrationEvents and
 * hands each to the outbox for every integration the tenant's notification policies select.
 * Event ids are derived from the change, so a step retried whole enqueues nothing twice.
 */
export class Notifier {
  readonly config: NotifyConfig;
  readonly outbox: Outbox;

  constructor(private readonly d: NotifierDeps) {
    this.config = new NotifyConfig(d.d1, d.tenantId);
    this.outbox = new Outbox(d);
  }

  /** Alerts under maintenance say nothing; one coming out of it is announced as opened then. */
  private alertType(a: ActiveAlert, e: AlertEventInput): IntegrationEventType | null {
    if (a.suppressed) return null;
    switch (e.kind) {
      case 'opened':
      case 'flapping': // reopened after an automatic resolve
        return 'alert.opened';
      case 'maintenance_ended':
        return a.status === 'resolved' ? null : 'alert.opened';
      case 'acknowledged':
        return 'alert.acknowledged';
      case 'resolved':
        return 'alert.resolved';
      case 'escalated':
        return 'alert.escalated';
      default:
        return null;
    }
  }

  async onAlertChange(a: ActiveAlert, events: AlertEventInput[]): Promise<void> {
    for (const e of events) {
      const type = this.alertType(a, e);
      if (!type) continue;
      if (type === 'alert.escalated') {
        await this.onEscalated(a, e);
        continue;
      }
      const data: Record<string, unknown> = { alert: publicView(a) };
      if (e.actorId && e.actorId !== 'auto') data.actor = { id: e.actorId, name: await userName(this.d.d1, await this.d.tenantId(), e.actorId) };
      const event: IntegrationEvent = { id: `${a.id}:${type}:${e.at}`, type, at: e.at, tenantId: await this.d.tenantId(), clientId: a.clientId, severity: a.severity, data };
      await this.publish(event);
    }
  }

  /**
   * One event per (alert, tier, round): to the policy-routed integrations and those the tier
   * names. The tier is read from the policy the alert follows, as escalate() just used it.
   */
  private async onEscalated(a: ActiveAlert, e: AlertEventInput): Promise<void> {
    const detail = e.detail ?? {};
    const tier = Number(detail.tier);
    const round = Number(detail.round ?? 0);
    const userIds = Array.isArray(detail.notified) ? detail.notified.map(String) : [];
    const policy = (await this.d.policy?.(a.escalationPolicyId)) ?? null;
    const names = await userNames(this.d.d1, await this.d.tenantId(), userIds);
    const escalation = {
      policy: String(detail.policy ?? policy?.name ?? ''),
      tier,
      round,
      notified: userIds.map((id) => ({ id, name: names.get(id) ?? null })),
    };
    const type = 'alert.escalated';
    const event: IntegrationEvent = {
      id: `${a.id}:${type}:${tier}:${round}`,
      type,
      at: e.at,
      tenantId: await this.d.tenantId(),
      clientId: a.clientId,
      severity: a.severity,
      data: { alert: publicView(a), escalation },
    };
    await this.publish(event, policy?.tiers[tier - 1]?.integrationIds ?? []);
  }

  async onDeviceStatus(change: DeviceChange, at: number): Promise<void> {
    const type = change.status === 'online' ? 'device.online' : 'device.offline';
    const device = { id: change.id, hostname: change.hostname ?? null, status: change.status, lastSeenAt: change.lastSeenAt };
    await this.publish({ id: `${change.id}:${type}:${at}`, type, at, tenantId: await this.d.tenantId(), clientId: change.clientId ?? null, data: { device } });
  }

  /**
   * Any event (ticket automation may publish ticket.created / ticket.updated here): routed,
   * then queued. `also`: integrations named directly (an escalation tier's); each target gets
   * the event once, and ids that are no integration of the tenant (any more) are skipped.
   */
  async publish(event: IntegrationEvent, also: string[] = []): Promise<void> {
    const { policies, targets } = await this.config.routing();
    const ids = new Set([...routeEvent(policies, event), ...also]);
    const chosen = [...ids].flatMap((id) => {
      const t = targets.get(id);
      return t && t.enabled ? [t] : [];
    });
    await this.outbox.enqueue(event, chosen, Date.now());
  }

  /** "Send test message" to one integration of this tenant (null: no such integration). */
  async sendTest(integrationId: string): Promise<DeliveryResult | null> {
    const tenantId = await this.d.tenantId();
    const target = await drizzle(this.d.d1)
      .select({ id: integrations.id, kind: integrations.kind, name: integrations.name })
      .from(integrations)
      .where(and(eq(integrations.id, integrationId), eq(integrations.tenantId, tenantId)))
      .get();
    if (!target) return null;
    const now = Date.now();
    const event: IntegrationEvent = { id: `test:${crypto.randomUUID()}`, type: 'test', at: now, tenantId, clientId: null, data: { integrationName: target.name } };
    return this.outbox.sendTest(event, target, now);
  }
}
