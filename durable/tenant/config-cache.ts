import * as v from 'valibot';
import { and, eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { escalationPolicies, maintenanceWindows } from '../../db/schema';
import { EscalationTier } from '../../protocol/api/escalation';
import { WindowSchedule, windowActiveAt, windowNextChange } from '../../protocol/api/maintenance';
import type { DeviceScope } from './alert-records';
import { Cached } from './cached';

export interface Policy {
  id: string;
  name: string;
  tiers: EscalationTier[];
  repeatEveryMinutes: number | null;
  isDefault: boolean;
}

export interface Window {
  id: string;
  name: string;
  scopeType: 'client' | 'site' | 'group' | 'device';
  scopeId: string;
  schedule: WindowSchedule;
}

/** A window in force for a device, and when it ends (null: a recurring one with no end in sight). */
export interface InWindow {
  window: Window;
  endsAt: number | null;
}

/** The tenant's maintenance windows and escalation policies, read from D1 and kept in memory. */
export class ConfigCache {
  private readonly data = new Cached(() => this.load());

  constructor(
    private readonly d1: D1Database,
    private readonly tenantId: () => Promise<string>,
  ) {}

  invalidate(): void {
    this.data.invalidate();
  }

  private async load(): Promise<{ policies: Map<string, Policy>; windows: Window[] }> {
    const tenantId = await this.tenantId();
    const db = drizzle(this.d1);
    const [pol, win] = await db.batch([
      db.select().from(escalationPolicies).where(eq(escalationPolicies.tenantId, tenantId)),
      db.select().from(maintenanceWindows).where(and(eq(maintenanceWindows.tenantId, tenantId), eq(maintenanceWindows.enabled, true))),
    ]);
    const policies = new Map<string, Policy>();
    for (const p of pol) {
      const tiers = v.safeParse(v.array(EscalationTier), p.tiers);
      if (!tiers.success) continue;
      policies.set(p.id, { id: p.id, name: p.name, tiers: tiers.output, repeatEveryMinutes: p.repeatEveryMinutes, isDefault: p.isDefault });
    }
    const windows: Window[] = [];
    for (const w of win) {
      const raw = w.cron
        ? { kind: 'recurring', cron: w.cron, durationMinutes: w.durationMinutes, timezone: w.timezone }
        : { kind: 'once', startsAt: w.startsAt, endsAt: w.endsAt };
      const schedule = v.safeParse(WindowSchedule, raw);
      if (schedule.success) windows.push({ id: w.id, name: w.name, scopeType: w.scopeType, scopeId: w.scopeId, schedule: schedule.output });
    }
    return { policies, windows };
  }

  /** Every enabled window (jobs sent only inside maintenance windows choose their devices by these). */
  async windows(): Promise<readonly Window[]> {
    return (await this.data.get()).windows;
  }

  /** The policy named by the check set, else the tenant default, else none. */
  async policy(id: string | null): Promise<Policy | null> {
    const { policies } = await this.data.get();
    if (id && policies.has(id)) return policies.get(id)!;
    for (const p of policies.values()) if (p.isDefault) return p;
    return null;
  }

  /** A window covering this device now, with when it ends (null if it never does). */
  async maintenance(deviceId: string, scope: DeviceScope, at: number): Promise<InWindow | null> {
    const { windows } = await this.data.get();
    for (const w of windows) {
      const covers =
        (w.scopeType === 'device' && w.scopeId === deviceId) ||
        (w.scopeType === 'client' && w.scopeId === scope.clientId) ||
        (w.scopeType === 'site' && w.scopeId === scope.siteId) ||
        (w.scopeType === 'group' && scope.groupIds.includes(w.scopeId));
      if (covers && windowActiveAt(w.schedule, at)) return { window: w, endsAt: windowNextChange(w.schedule, at) };
    }
    return null;
  }
}
