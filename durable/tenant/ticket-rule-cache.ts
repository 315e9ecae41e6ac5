import * as v from 'valibot';
import { asc, eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { ticketRules } from '../../db/desk-schema';
import { Assignment, PriorityMap, RuleMatch, type TicketRule } from '../../protocol/api/ticket-rules';
import { Cached } from './cached';

export type CachedRule = Omit<TicketRule, 'createdAt' | 'updatedAt'>;

/** The tenant's alert→ticket rules in the order they are tried, read from D1 and kept in memory. */
export class TicketRuleCache {
  private readonly rules = new Cached(() => this.load());

  constructor(
    private readonly d1: D1Database,
    private readonly tenantId: () => Promise<string>,
  ) {}

  invalidate(): void {
    this.rules.invalidate();
  }

  /** Every rule (enabled or not) in position order. */
  all(): Promise<CachedRule[]> {
    return this.rules.get();
  }

  private async load(): Promise<CachedRule[]> {
    const tenantId = await this.tenantId();
    const rows = await drizzle(this.d1)
      .select()
      .from(ticketRules)
      .where(eq(ticketRules.tenantId, tenantId))
      .orderBy(asc(ticketRules.position), asc(ticketRules.id))
      .all();
    const rules: CachedRule[] = [];
    for (const r of rows) {
      // A row the API would not accept today is skipped rather than half-applied.
      const match = v.safeParse(RuleMatch, r.match);
      const priorityMap = v.safeParse(PriorityMap, r.priorityMap);
      const assignment = v.safeParse(Assignment, r.assignment);
      if (!match.success || !priorityMap.success || !assignment.success) {
        console.error('ticket rule skipped: stored JSON does not parse', r.id);
        continue;
      }
      rules.push({
        id: r.id,
        name: r.name,
        enabled: r.enabled,
        position: r.position,
        match: match.output,
        titleTemplate: r.titleTemplate,
        bodyTemplate: r.bodyTemplate,
        priorityMap: priorityMap.output,
        assignment: assignment.output,
        dedupMinutes: r.dedupMinutes,
        closeOnResolve: r.closeOnResolve,
      });
    }
    return rules;
  }

  async byId(id: string): Promise<CachedRule | null> {
    return (await this.all()).find((r) => r.id === id) ?? null;
  }
}
