import { and, eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { users } from '../../db/schema';
import { inIds } from '../../worker/lib/sql-helpers';

/** Display names of this tenant's users, for events that name who acted or was paged. */
export async function userNames(d1: D1Database, tenantId: string, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await drizzle(d1)
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(and(eq(users.tenantId, tenantId), inIds(users.id, ids)))
    .all();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** One user's name (null: not this tenant's, or gone). */
export async function userName(d1: D1Database, tenantId: string, id: string): Promise<string | null> {
  return (await userNames(d1, tenantId, [id])).get(id) ?? null;
}
