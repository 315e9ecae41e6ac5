import { and, eq, isNull } from 'drizzle-orm';
import { clients, sites, users } from '../../db/schema';
import type { Assignment, RuleMatch } from '../../protocol/api/ticket-rules';
import type { Db } from '../types';
import { badRequest, type ErrorIssue } from './errors';
import { inIds } from './sql-helpers';

/*
 * What an alert→ticket rule names must be the tenant's: its clients and sites, and the
 * users tickets go to (active, technician or higher, able to see the clients whose tickets
 * they get). Anything else is a 400 naming the field, exactly like a missing id.
 */

const WORKER_ROLES = ['owner', 'admin', 'technician'];

async function known(db: Db, table: typeof clients | typeof sites, tenantId: string, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.select({ id: table.id }).from(table).where(and(eq(table.tenantId, tenantId), inIds(table.id, ids))).all();
  return new Set(rows.map((r) => r.id));
}

/** One assignee slot: where it sits in the body, and which clients' tickets it may get (null: any the rule matches). */
interface Slot {
  path: string;
  userId: string;
  clientId: string | null;
}

function slots(a: Assignment): Slot[] {
  switch (a.mode) {
    case 'none':
      return [];
    case 'fixed':
      return [{ path: 'assignment.userId', userId: a.userId, clientId: null }];
    case 'round_robin':
      return a.userIds.map((userId, i) => ({ path: `assignment.userIds.${i}`, userId, clientId: null }));
    case 'by_client': {
      const out: Slot[] = Object.entries(a.byClient).map(([clientId, userId]) => ({ path: `assignment.byClient.${clientId}`, userId, clientId }));
      if (a.fallbackUserId) out.push({ path: 'assignment.fallbackUserId', userId: a.fallbackUserId, clientId: null });
      return out;
    }
  }
}

export async function assertRuleRefs(db: Db, tenantId: string, match: RuleMatch, assignment: Assignment): Promise<void> {
  const issues: ErrorIssue[] = [];
  const byClientIds = assignment.mode === 'by_client' ? Object.keys(assignment.byClient) : [];
  const clientIds = [...new Set([...(match.clientIds ?? []), ...byClientIds])];
  const [knownClients, knownSites] = await Promise.all([known(db, clients, tenantId, clientIds), known(db, sites, tenantId, match.siteIds ?? [])]);
  (match.clientIds ?? []).forEach((id, i) => knownClients.has(id) || issues.push({ path: `match.clientIds.${i}`, message: 'no such client in this tenant' }));
  (match.siteIds ?? []).forEach((id, i) => knownSites.has(id) || issues.push({ path: `match.siteIds.${i}`, message: 'no such site in this tenant' }));
  for (const id of byClientIds) if (!knownClients.has(id)) issues.push({ path: `assignment.byClient.${id}`, message: 'no such client in this tenant' });

  const wanted = slots(assignment);
  const userIds = [...new Set(wanted.map((s) => s.userId))];
  const found = userIds.length
    ? await db
        .select({ id: users.id, role: users.role, clientIds: users.clientIds })
        .from(users)
        .where(and(eq(users.tenantId, tenantId), isNull(users.disabledAt), inIds(users.id, userIds)))
        .all()
    : [];
  const byId = new Map(found.map((u) => [u.id, u]));
  const ruleClients = match.clientIds?.length ? match.clientIds : null;
  for (const s of wanted) {
    const u = byId.get(s.userId);
    if (!u || !WORKER_ROLES.includes(u.role)) {
      issues.push({ path: s.path, message: 'no such active technician, admin or owner in this tenant' });
      continue;
    }
    if (u.clientIds === null) continue;
    // A user limited to some clients may only get tickets of those clients.
    const reach = s.clientId !== null ? [s.clientId] : ruleClients;
    if (reach === null || !reach.every((c) => u.clientIds!.includes(c))) {
      issues.push({ path: s.path, message: 'this user is limited to other clients and could not see these tickets' });
    }
  }
  if (issues.length) throw badRequest('invalid references in the rule', issues);
}
