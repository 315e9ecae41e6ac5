import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import type { AppEnv } from '../types';
import { ChangePage, ChangesQuery, FleetSoftwarePage, FleetSoftwareQuery } from '../../protocol/api/inventory';
import { FleetSearchBody, FleetSearchPage } from '../../protocol/api/fleet-search';
import { requireAuth } from '../middleware/auth';
import { valid } from '../lib/validate';
import { requireRole } from '../lib/roles';
import { errors, jsonBody } from '../lib/responses';
import { CHANGE_CSV_HEADER, changeCsvCells, listChanges } from '../lib/inventory/changes';
import { listFleetSoftware } from '../lib/inventory/fleet-software';
import { csvResponse, EXPORT_PAGE } from '../lib/inventory/csv-export';
import { fleetSearch, SEARCH_CSV_HEADER, searchCsvCells } from '../lib/inventory/fleet-search-run';

const tags = ['inventory'];
const READ = 'Any staff role; a client-limited caller sees only their clients\' devices.';

const FLEET_SOFTWARE_CSV_HEADER = ['name', 'publisher', 'devices', 'versions', 'top versions'];

/** Fleet-wide inventory: software by name, the change timeline, and fleet search. */
export const inventoryRoutes = new Hono<AppEnv>()
  .use('*', requireAuth)
  .use('*', async (c, next) => {
    requireRole(c.var.auth, 'readonly');
    await next();
  })
  .get(
    '/software',
    describeRoute({
      tags,
      summary: "The fleet's software by name: how many devices, how many versions, the newest versions",
      description: READ,
      responses: { 200: jsonBody('FleetSoftwarePage', FleetSoftwarePage), ...errors(400, 401, 403) },
    }),
    valid('query', FleetSoftwareQuery),
    async (c) => c.json(await listFleetSoftware(c.var.db, c.var.auth, c.req.valid('query'))),
  )
  .get(
    '/software.csv',
    describeRoute({
      tags,
      summary: "The fleet's software by name as CSV (the list's search and client; every page)",
      description: READ,
      responses: { 200: { description: 'text/csv' }, ...errors(400, 401, 403) },
    }),
    valid('query', FleetSoftwareQuery),
    async (c) => {
      const q = c.req.valid('query');
      return csvResponse('fleet-software.csv', FLEET_SOFTWARE_CSV_HEADER, async (cursor) => {
        const page = await listFleetSoftware(c.var.db, c.var.auth, { ...q, cursor }, EXPORT_PAGE);
        const rows = page.items.map((r) => [r.name, r.publisher, r.devices, r.versions, r.topVersions.map((t) => `${t.version} (${t.devices})`).join('; ')]);
        return { rows, nextCursor: page.nextCursor };
      });
    },
  )
  .get(
    '/changes',
    describeRoute({
      tags,
      summary: 'Inventory changes across the fleet, newest first: kind, client, text and time filters, cursor pages',
      description: READ,
      responses: { 200: jsonBody('ChangePage', ChangePage), ...errors(400, 401, 403) },
    }),
    valid('query', ChangesQuery),
    async (c) => c.json(await listChanges(c.var.db, c.var.auth, c.req.valid('query'))),
  )
  .get(
    '/changes.csv',
    describeRoute({
      tags,
      summary: 'Inventory changes across the fleet as CSV (the list\'s filters; every page)',
      description: READ,
      responses: { 200: { description: 'text/csv' }, ...errors(400, 401, 403) },
    }),
    valid('query', ChangesQuery),
    async (c) => {
      const q = c.req.valid('query');
      return csvResponse('inventory-changes.csv', CHANGE_CSV_HEADER, async (cursor) => {
        const page = await listChanges(c.var.db, c.var.auth, { ...q, cursor }, undefined, EXPORT_PAGE);
        return { rows: page.items.map(changeCsvCells), nextCursor: page.nextCursor };
      });
    },
  )
  .post(
    '/search',
    describeRoute({
      tags,
      summary: 'Fleet search: devices whose inventory matches the conditions (all or any), narrowed by the device list\'s filters',
      description: `${READ} Ordered by hostname; \`total\` counts every match, \`matched\` names the item behind the first "installed" software condition.`,
      responses: { 200: jsonBody('FleetSearchPage', FleetSearchPage), ...errors(400, 401, 403) },
    }),
    valid('json', FleetSearchBody),
    async (c) => {
      const body = c.req.valid('json');
      return c.json(await fleetSearch(c.var.db, c.var.auth, body.query, body.cursor, body.limit));
    },
  )
  .post(
    '/search.csv',
    describeRoute({
      tags,
      summary: 'Fleet search as CSV: every device the query finds',
      description: READ,
      responses: { 200: { description: 'text/csv' }, ...errors(400, 401, 403) },
    }),
    valid('json', FleetSearchBody),
    async (c) => {
      const { query } = c.req.valid('json');
      return csvResponse('fleet-search.csv', SEARCH_CSV_HEADER, async (cursor) => {
        const page = await fleetSearch(c.var.db, c.var.auth, query, cursor, EXPORT_PAGE);
        return { rows: page.items.map(searchCsvCells), nextCursor: page.nextCursor };
      });
    },
  );
