import * as v from 'valibot';
import { and, eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { escalationPolicies, maintenanceWindows } from '../../db/schema';
import { EscalationTier } from '../../protocol/api/escalation';
import { WindowSchedule, windowActiveAt, windowNextChange } from '../../protocol/api/maintenance';
import type { DeviceScope } from './alert-records';

/* Changes arrive through configChanged(); the age limit covers a missed call. */
const MAX_AGE_MS = 5 * 60_000;

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

/** The tenant's maintenance windows and escalation policies, read from D1 and kept in memory. */
/** A window in force for a device, and when it ends (null: a recurring one with no end in sight). */
export interface InWindow {
  window: Window;
  endsAt: number | null;
}

export class ConfigCache {
  private loadedAt = 0;
  private policies = new Map<string, Policy>();
  private windows: Window[] = [];

  constructor(
    private readonly d1: D1Database,
    private readonly tenantId: () => Promise<string>,
  ) {}

  invalidate(): void {
    this.loadedAt = 0;
  }

  private async load(): Promise<void> {
    if (Date.now() - this.loadedAt < MAX_AGE_MS) return;
    const tenantId = await this.tenantId();
    const db = drizzle(this.d1);
    const [pol, win] = await db.batch([
      db.select().from(escalationPolicies).where(eq(escalationPolicies.tenantId, tenantId)),
      db.select().from(maintenanceWindows).where(and(eq(maintenanceWindows.tenantId, tenantId), eq(maintenanceWindows.enabled, true))),
    ]);
    this.policies = new Map();
    for (const p of pol) {
      const tiers = v.safeParse(v.array(EscalationTier), p.tiers);
      if (!tiers.success) continue;
      this.policies.set(p.id, { id: p.id, name: p.name, tiers: tiers.output, repeatEveryMinutes: p.repeatEveryMinutes, isDefault: p.isDefault });
    }
    this.windows = [];
    for (const w of win) {
      const raw = w.cron
        ? { kind: 'recurring', cron: w.cron, durationMinutes: w.durationMinutes, timezone: w.timezone }
        : { kind: 'once', startsAt: w.startsAt, endsAt: w.endsAt };
      const schedule = v.safeParse(WindowSchedule, raw);
      if (schedule.success) this.windows.push({ id: w.id, name: w.name, scopeType: w.scopeType, scopeId: w.scopeId, schedule: schedule.output });
    }
    this.loadedAt = Date.now();
  }

  /** The policy named by the check set, else the tenant default, else none. */
  async policy(id: string | null): Promise<Policy | null> {
    await this.load();
    if (id && this.policies.has(id)) return this.policies.get(id)!;
    for (const p of this.policies.values()) if (p.isDefault) return p;
    return null;
  }

  /** A window covering this device now, with when it ends (null if it never does). */
  async maintenance(deviceId: string, scope: DeviceScope, at: number): Promise<InWindow | null> {
    await this.load();
    for (const w of this.windows) {
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
