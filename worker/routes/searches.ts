import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import * as v from 'valibot';
import { and, asc, eq } from 'drizzle-orm';
import type { AppEnv } from '../types';
import { savedSearches } from '../../db/inventory-schema';
import { IdParam, pageOf } from '../../protocol/api/common';
import { CreateSavedSearch, FleetSearchPage, SavedSearch, UpdateSavedSearch } from '../../protocol/api/fleet-search';
import { requireAuth } from '../middleware/auth';
import { valid } from '../lib/validate';
import { requireRole } from '../lib/roles';
import { auditInsert } from '../lib/audit';
import { newId } from '../lib/ids';
import { errors, jsonBody, noContent } from '../lib/responses';
import { afterName, byName, nameKey } from '../lib/list-query';
import { DEFAULT_LIMIT, PageQuery, toPage } from '../lib/pagination';
import { loadSavedSearch, toSavedSearch } from '../lib/inventory/saved-searches';
import { fleetSearch, SEARCH_CSV_HEADER, searchCsvCells } from '../lib/inventory/fleet-search-run';
import { csvResponse, EXPORT_PAGE } from '../lib/inventory/csv-export';

const tags = ['inventory'];
const READ = 'Any staff role. Saved searches are shared by the tenant; results hold only the devices the caller may see.';
const WRITE = 'Technician or higher.';

const SavedSearchListQuery = v.object(PageQuery);
const ResultsQuery = v.object(PageQuery);
const SavedSearchPage = pageOf(SavedSearch);

/** /searches: fleet searches kept under a name, to run again, export, or target a job with. */
export const searchesRoutes = new Hono<AppEnv>()
  .use('*', requireAuth)
  .get(
    '/',
    describeRoute({ tags, summary: 'Saved fleet searches, by name', description: READ, responses: { 200: jsonBody('SavedSearchPage', SavedSearchPage), ...errors(400, 401, 403) } }),
    valid('query', SavedSearchListQuery),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'readonly');
      const q = c.req.valid('query');
      const limit = q.limit ?? DEFAULT_LIMIT;
      const rows = await db
        .select()
        .from(savedSearches)
        .where(and(eq(savedSearches.tenantId, auth.tenantId), afterName(q.cursor, savedSearches.name, savedSearches.id)))
        .orderBy(...byName(savedSearches.name, savedSearches.id).map((col) => asc(col)))
        .limit(limit + 1)
        .all();
      const page = toPage(rows, limit, nameKey);
      return c.json({ items: page.items.map(toSavedSearch), nextCursor: page.nextCursor });
    },
  )
  .post(
    '/',
    describeRoute({ tags, summary: 'Save a fleet search under a name', description: WRITE, responses: { 201: jsonBody('SavedSearch', SavedSearch), ...errors(400, 401, 403) } }),
    valid('json', CreateSavedSearch),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'technician');
      const body = c.req.valid('json');
      const now = Date.now();
      const row = { id: newId('srh', now), tenantId: auth.tenantId, name: body.name, query: body.query, createdBy: auth.actorId, createdAt: now, updatedAt: now };
      await db.batch([
        db.insert(savedSearches).values(row),
        auditInsert(db, c, { action: 'saved_search.create', targetType: 'saved_search', targetId: row.id, detail: { name: body.name } }),
      ]);
      return c.json(toSavedSearch(row), 201);
    },
  )
  .get(
    '/:id',
    describeRoute({ tags, summary: 'One saved search', description: READ, responses: { 200: jsonBody('SavedSearch', SavedSearch), ...errors(401, 403, 404) } }),
    valid('param', IdParam),
    async (c) => {
      requireRole(c.var.auth, 'readonly');
      return c.json(toSavedSearch(await loadSavedSearch(c.var.db, c.var.auth.tenantId, c.req.valid('param').id)));
    },
  )
  .patch(
    '/:id',
    describeRoute({ tags, summary: 'Rename a saved search or change its query', description: WRITE, responses: { 200: jsonBody('SavedSearch', SavedSearch), ...errors(400, 401, 403, 404) } }),
    valid('param', IdParam),
    valid('json', UpdateSavedSearch),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'technician');
      const before = await loadSavedSearch(db, auth.tenantId, c.req.valid('param').id);
      const body = c.req.valid('json');
      const set = { ...(body.name !== undefined ? { name: body.name } : {}), ...(body.query !== undefined ? { query: body.query } : {}), updatedAt: Date.now() };
      await db.batch([
        db.update(savedSearches).set(set).where(and(eq(savedSearches.tenantId, auth.tenantId), eq(savedSearches.id, before.id))),
        auditInsert(db, c, {
          action: 'saved_search.update',
          targetType: 'saved_search',
          targetId: before.id,
          detail: { name: set.name ?? before.name, ...(set.name !== undefined && set.name !== before.name ? { from: before.name } : {}), queryChanged: body.query !== undefined },
        }),
      ]);
      return c.json(toSavedSearch({ ...before, ...set }));
    },
  )
  .delete(
    '/:id',
    describeRoute({ tags, summary: 'Delete a saved search (jobs that targeted it keep their devices)', description: WRITE, responses: { 204: noContent, ...errors(401, 403, 404) } }),
    valid('param', IdParam),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'technician');
      const before = await loadSavedSearch(db, auth.tenantId, c.req.valid('param').id);
      await db.batch([
        auditInsert(db, c, { action: 'saved_search.delete', targetType: 'saved_search', targetId: before.id, detail: { name: before.name } }),
        db.delete(savedSearches).where(and(eq(savedSearches.tenantId, auth.tenantId), eq(savedSearches.id, before.id))),
      ]);
      return c.body(null, 204);
    },
  )
  .get(
    '/:id/results',
    describeRoute({
      tags,
      summary: 'Run a saved search: the devices it finds now, by hostname',
      description: READ,
      responses: { 200: jsonBody('FleetSearchPage', FleetSearchPage), ...errors(400, 401, 403, 404) },
    }),
    valid('param', IdParam),
    valid('query', ResultsQuery),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'readonly');
      const search = await loadSavedSearch(db, auth.tenantId, c.req.valid('param').id);
      const q = c.req.valid('query');
      return c.json(await fleetSearch(db, auth, search.query, q.cursor, Math.min(q.limit ?? DEFAULT_LIMIT, 500)));
    },
  )
  .get(
    '/:id/results.csv',
    describeRoute({ tags, summary: 'A saved search\'s results as CSV', description: READ, responses: { 200: { description: 'text/csv' }, ...errors(401, 403, 404) } }),
    valid('param', IdParam),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'readonly');
      const search = await loadSavedSearch(db, auth.tenantId, c.req.valid('param').id);
      return csvResponse(`search-${search.name}.csv`, SEARCH_CSV_HEADER, async (cursor) => {
        const page = await fleetSearch(db, auth, search.query, cursor, EXPORT_PAGE);
        return { rows: page.items.map(searchCsvCells), nextCursor: page.nextCursor };
      });
    },
  );
