import { and, eq, isNull, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { users } from '../../db/schema';
import { ticketRules } from '../../db/desk-schema';
import type { CachedRule } from './ticket-rule-cache';

/*
 * Who a rule's new ticket goes to. Users were checked when the rule was saved, but may
 * since have been disabled, demoted or limited to other clients: such a user is skipped
 * (round robin) or the ticket stays unassigned, rather than land with someone who cannot
 * see it.
 */

const WORKERS = ['owner', 'admin', 'technician'];

async function usableUsers(d1: D1Database, tenantId: string, ids: string[], clientId: string): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await drizzle(d1)
    .select({ id: users.id, role: users.role, clientIds: users.clientIds })
    .from(users)
    .where(and(eq(users.tenantId, tenantId), isNull(users.disabledAt), sql`${users.id} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`))
    .all();
  return new Set(rows.filter((u) => WORKERS.includes(u.role) && (u.clientIds === null || u.clientIds.includes(clientId))).map((u) => u.id));
}

async function one(d1: D1Database, tenantId: string, id: string | null | undefined, clientId: string): Promise<string | null> {
  if (!id) return null;
  return (await usableUsers(d1, tenantId, [id], clientId)).has(id) ? id : null;
}

export async function pickAssignee(d1: D1Database, tenantId: string, rule: CachedRule, clientId: string): Promise<string | null> {
  const a = rule.assignment;
  switch (a.mode) {
    case 'none':
      return null;
    case 'fixed':
      return one(d1, tenantId, a.userId, clientId);
    case 'by_client':
      return one(d1, tenantId, a.byClient[clientId] ?? a.fallbackUserId, clientId);
    case 'round_robin': {
      const usable = await usableUsers(d1, tenantId, a.userIds, clientId);
      const candidates = a.userIds.filter((id) => usable.has(id));
      if (candidates.length === 0) return null;
      // One statement: two hubs never exist for a tenant, but the cursor must also survive restarts.
      const n = candidates.length;
      const [row] = await drizzle(d1)
        .update(ticketRules)
        .set({ rrCursor: sql`(${ticketRules.rrCursor} + 1) % ${n}` })
        .where(and(eq(ticketRules.id, rule.id), eq(ticketRules.tenantId, tenantId)))
        .returning({ cursor: ticketRules.rrCursor });
      // The cursor names the next user to get one: the one before it gets this ticket.
      const next = row?.cursor ?? 1;
      return candidates[(next - 1 + n) % n]!;
    }
  }
}
