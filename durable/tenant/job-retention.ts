/*
 * Command history (output included) is kept for the tenant's history_retention_days. The
 * daily pass deletes in small statements so it never holds D1 for long; job targets keep
 * their outcome (status, exit code) after their command row is gone.
 */

const BATCH = 500;
const MAX_ROUNDS = 20;
const DAY_MS = 86_400_000;

/** Deletes what is past retention; true when more is left for another pass. */
export async function pruneHistory(d1: D1Database, tenantId: string, now: number): Promise<boolean> {
  const tenant = await d1.prepare(`SELECT history_retention_days AS days FROM tenants WHERE id = ?`).bind(tenantId).first<{ days: number }>();
  if (!tenant) return false;
  const cutoff = now - tenant.days * DAY_MS;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const res = await d1
      .prepare(`DELETE FROM commands WHERE id IN (SELECT id FROM commands WHERE tenant_id = ? AND created_at < ? LIMIT ${BATCH})`)
      .bind(tenantId, cutoff)
      .run();
    if (res.meta.changes < BATCH) return false;
  }
  return true;
}
