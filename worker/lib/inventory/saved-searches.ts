import { and, eq } from 'drizzle-orm';
import { savedSearches } from '../../../db/inventory-schema';
import type { SavedSearch } from '../../../protocol/api/fleet-search';
import type { Db } from '../../types';
import { notFound } from '../errors';
import { inIds } from '../sql-helpers';

export type SavedSearchRow = typeof savedSearches.$inferSelect;

export const toSavedSearch = ({ tenantId: _tenant, ...row }: SavedSearchRow): SavedSearch => row;

/** A saved search of the tenant, or the 404 of a missing one. */
export async function loadSavedSearch(db: Db, tenantId: string, id: string): Promise<SavedSearchRow> {
  const [row] = await loadSavedSearches(db, tenantId, [id]);
  return row!;
}

/** Every named saved search of the tenant; any missing or foreign id answers 404. */
export async function loadSavedSearches(db: Db, tenantId: string, ids: readonly string[]): Promise<SavedSearchRow[]> {
  if (!ids.length) return [];
  const rows = await db
    .select()
    .from(savedSearches)
    .where(and(eq(savedSearches.tenantId, tenantId), inIds(savedSearches.id, ids)))
    .all();
  if (rows.length < new Set(ids).size) throw notFound('saved search');
  return rows;
}
