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

/** What a send needs of an integration: its config stays sealed until the moment of sending. */
export interface Sendable {
  kind: IntegrationKind;
  enabled: boolean;
  configEnc: string;
}

interface Loaded {
  policies: RoutingPolicy[];
  targets: Map<string, Target>;
  sealed: Map<string, string>;
}

/**
 * The tenant's enabled notification policies and its integrations, kept in memory (configs
 * sealed, as stored): routing an event and sending a delivery ask D1 nothing.
 */
export class NotifyConfig {
  private readonly data = new Cached(() => this.load());

  constructor(
    private readonly d1: D1Database,
    private readonly tenantId: () => Promise<string>,
  ) {}

  invalidate(): void {
    this.data.invalidate();
  }

  private async load(): Promise<Loaded> {
    const tenantId = await this.tenantId();
    const db = drizzle(this.d1);
    const [pol, itg] = await db.batch([
      db.select().from(notificationPolicies).where(and(eq(notificationPolicies.tenantId, tenantId), eq(notificationPolicies.enabled, true))),
      db
        .select({ id: integrations.id, kind: integrations.kind, name: integrations.name, enabled: integrations.enabled, configEnc: integrations.configEnc })
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
    return {
      policies,
      targets: new Map(itg.map(({ configEnc: _c, ...t }) => [t.id, t])),
      sealed: new Map(itg.map((t) => [t.id, t.configEnc])),
    };
  }

  async routing(): Promise<Pick<Loaded, 'policies' | 'targets'>> {
    return this.data.get();
  }

  /**
   * An integration of this tenant as a send needs it; null when there is none. `fresh`: from
   * D1 whatever the cache holds (a test message right after the integration was saved).
   */
  async sendable(id: string, fresh = false): Promise<Sendable | null> {
    if (!fresh) {
      const { targets, sealed } = await this.data.get();
      const t = targets.get(id);
      if (t) return { kind: t.kind, enabled: t.enabled, configEnc: sealed.get(id)! };
    }
    // Also made after the cache was filled, before the hub was told: D1 has the last word.
    const row = await drizzle(this.d1)
      .select({ kind: integrations.kind, enabled: integrations.enabled, configEnc: integrations.configEnc })
      .from(integrations)
      .where(and(eq(integrations.id, id), eq(integrations.tenantId, await this.tenantId())))
      .get();
    return row ?? null;
  }
}
