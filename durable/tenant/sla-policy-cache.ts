import { drizzle } from 'drizzle-orm/d1';
import type { TicketPriority } from '../../protocol/api/tickets';
import { dueTimes, governing, tenantPolicies, type SlaClocks } from '../../worker/lib/tickets/sla';
import { Cached } from './cached';

/**
 * The tenant's SLA policies and their calendars, kept in memory so a ticket the alert rules
 * open costs no D1 read for its due times. The SLA routes call configChanged on every change.
 */
export class SlaPolicyCache {
  private readonly policies = new Cached(async () => tenantPolicies(drizzle(this.d1), await this.tenantId()));

  constructor(
    private readonly d1: D1Database,
    private readonly tenantId: () => Promise<string>,
  ) {}

  invalidate(): void {
    this.policies.invalidate();
  }

  /** As worker/lib/tickets/sla.ts slaClocks, from memory. */
  async clocks(clientId: string, priority: TicketPriority, createdAt: number): Promise<SlaClocks | null> {
    const policy = governing(await this.policies.get(), clientId);
    return policy ? dueTimes(policy, priority, createdAt) : null;
  }
}
