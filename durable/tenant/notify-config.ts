import * as v from 'valibot';
import { and, eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { integrations, notificationPolicies } from '../../db/integrations-schema';
import { TimeOfDay, type IntegrationKind } from '../../protocol/api/integrations';
import type { RoutingPolicy } from '../../worker/lib/integrations/routing';
import { Cached } from './cached';

export interface Target {
  id: string;
  kind: IntegrationKind;
  name: string;
  enabled: boolean;
}

/** The tenant's enabled notification policies and its integrations (no secrets), kept in memory. */
export class NotifyConfig {
  private readonly data = new Cached(() => this.load());

  constructor(
    private readonly d1: D1Database,
    private readonly tenantId: () => Promise<string>,
  ) {}

  invalidate(): void {
    this.data.invalidate();
  }

  private async load(): Promise<{ policies: RoutingPolicy[]; targets: Map<string, Target> }> {
    const tenantId = await this.tenantId();
    const db = drizzle(this.d1);
    const [pol, itg] = await db.batch([
      db.select().from(notificationPolicies).where(and(eq(notificationPolicies.tenantId, tenantId), eq(notificationPolicies.enabled, true))),
      db
        .select({ id: integrations.id, kind: integrations.kind, name: integrations.name, enabled: integrations.enabled })
        .from(integrations)
        .where(eq(integrations.tenantId, tenantId)),
    ]);
    const policies = pol.map((p) => {
      const time = p.timeOfDay ? v.safeParse(TimeOfDay, p.timeOfDay) : null;
      return {
        enabled: p.enabled,
        events: p.events ?? [],
        severities: p.severities ?? [],
        clientIds: p.clientIds ?? null,
        // A stored period that no longer parses matches nothing rather than everything.
        timeOfDay: time === null ? null : time.success ? time.output : { days: [], start: '00:00', end: '00:01', timezone: 'UTC' },
        integrationIds: p.integrationIds ?? [],
      };
    });
    return { policies, targets: new Map(itg.map((t) => [t.id, t])) };
  }

  async routing(): Promise<{ policies: RoutingPolicy[]; targets: Map<string, Target> }> {
    return this.data.get();
  }
}
