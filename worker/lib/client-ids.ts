import { and, eq } from 'drizzle-orm';
import { clients } from '../../db/schema';
import type { Db } from '../types';
import { badRequest } from './errors';
import { inIds } from './sql-helpers';

/**
 * Checks that every id of a client limit names a client of the tenant: a limit naming an
 * unknown (or another tenant's) client would silently grant nothing, so it is refused.
 */
export async function assertClientsExist(db: Db, tenantId: string, ids: string[] | null, path = 'clientIds'): Promise<void> {
  if (!ids || ids.length === 0) return;
  const found = await db
    .select({ id: clients.id })
    .from(clients)
    .where(and(eq(clients.tenantId, tenantId), inIds(clients.id, ids)))
    .all();
  const known = new Set(found.map((r) => r.id));
  const issues = ids.flatMap((id, i) => (known.has(id) ? [] : [{ path: `${path}.${i}`, message: 'no such client' }]));
  if (issues.length) throw badRequest('unknown client ids', issues);
}
