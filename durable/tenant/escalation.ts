import { and, eq, isNull } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { notifications, users } from '../../db/schema';
import type { EscalationTier } from '../../protocol/api/escalation';
import type { StaffRole } from '../../protocol/api/common';
import type { ActiveAlert } from './active-alerts';
import { stableId } from '../../worker/lib/ids';
import type { Policy } from './config-cache';

/*
 * Escalation: tier i fires `afterMinutes` after the alert opened, while it is still open
 * (not acknowledged). After the last tier the policy may repeat it. Notifications have
 * ids derived from (alert, tier, round, user), so a retried alarm notifies no one twice.
 */

/** When the next notification is due, given how far the alert has got; null = nothing more. */
export function nextEscalationAt(a: ActiveAlert, policy: Policy): number | null {
  const tier = policy.tiers[a.escalationTier];
  if (tier) return a.openedAt + tier.afterMinutes * 60_000;
  if (policy.repeatEveryMinutes === null || policy.tiers.length === 0) return null;
  return (a.notifiedAt ?? a.openedAt) + policy.repeatEveryMinutes * 60_000;
}

export interface Notified {
  tier: number;
  round: number;
  userIds: string[];
  notifications: { id: string; userId: string; title: string; body: string; createdAt: number }[];
}

/** Users a tier reaches: named users and role holders, active, allowed to see the alert's client. */
async function recipients(d1: D1Database, tenantId: string, tier: EscalationTier, clientId: string): Promise<string[]> {
  const rows = await drizzle(d1)
    .select({ id: users.id, role: users.role, clientIds: users.clientIds })
    .from(users)
    .where(and(eq(users.tenantId, tenantId), isNull(users.disabledAt)))
    .all();
  return rows
    // A user turned into a portal user after the policy was saved is no longer paged.
    .filter((u) => u.role !== 'client')
    .filter((u) => tier.userIds.includes(u.id) || tier.roles.includes(u.role as StaffRole))
    .filter((u) => u.clientIds === null || u.clientIds.includes(clientId))
    .map((u) => u.id);
}

/** Sends the notifications for the alert's next step and says who got them. */
export async function notifyNext(d1: D1Database, tenantId: string, a: ActiveAlert, policy: Policy, now: number): Promise<Notified | null> {
  const index = Math.min(a.escalationTier, policy.tiers.length - 1);
  const tier = policy.tiers[index];
  if (!tier) return null;
  const round = a.escalationTier < policy.tiers.length ? 0 : a.repeats + 1;
  const who = await recipients(d1, tenantId, tier, a.clientId);
  const title = `${a.severity.toUpperCase()}: ${a.checkName} on ${a.hostname ?? a.deviceId}`;
  const body = `${a.message} (unacknowledged for ${Math.round((now - a.openedAt) / 60_000)} min; ${policy.name}, tier ${index + 1}${round ? `, repeat ${round}` : ''})`;
  const list = await Promise.all(who.map(async (userId) => ({ id: await stableId('ntf', a.id, index, round, userId), userId, title, body, createdAt: now })));
  if (list.length) {
    const db = drizzle(d1);
    // 100 bound parameters per statement: 8 columns a row leaves room for 12 rows.
    for (let i = 0; i < list.length; i += 12) {
      await db
        .insert(notifications)
        .values(list.slice(i, i + 12).map((n) => ({ ...n, tenantId, alertId: a.id })))
        .onConflictDoNothing();
    }
  }
  return { tier: index, round, userIds: who, notifications: list };
}
