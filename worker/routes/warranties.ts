import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../types';
import { requireAuth } from '../middleware/auth';
import { valid } from '../lib/validate';
import { requireRole } from '../lib/roles';
import { audit } from '../lib/audit';
import { ApiError } from '../lib/errors';
import { errors, jsonBody } from '../lib/responses';
import { csvResponse, EXPORT_PAGE } from '../lib/inventory/csv-export';
import { WARRANTY_CSV_HEADER, warrantyCsvCells, warrantyPage } from '../lib/warranty/list';
import { importWarrantyCsv } from '../lib/warranty/import';
import { recheckAssetAlerts } from '../lib/warranty/recheck';
import { WarrantyImportBody, WarrantyImportResult, WarrantyListQuery, WarrantyPage } from '../../protocol/api/warranties';

const tags = ['assets'];
/** The import's CSV may be 2 MiB; as JSON text it grows a little (quotes, escapes). */
export const WARRANTY_IMPORT_BODY_BYTES = 3 * 1024 * 1024;

export const warrantiesRoutes = new Hono<AppEnv>()
  .use('*', requireAuth)
  .get(
    '/',
    describeRoute({
      tags,
      summary: 'Warranty coverage, one row per device: filter by client, search, and state (covered, expiring within `days`, expired, none)',
      description:
        'A device\'s coverage is the latest end among its records. `covered`: it ends today or later (expiring ones included); ' +
        '`expiring`: it ends within `days` (default 90); `expired`: it ended before today; `none`: no record. Days count in UTC dates.',
      responses: { 200: jsonBody('page of WarrantyRow', WarrantyPage), ...errors(400, 401) },
    }),
    valid('query', WarrantyListQuery),
    async (c) => c.json(await warrantyPage(c.var.db, c.var.auth, c.req.valid('query')), 200),
  )
  .post(
    '/import',
    describeRoute({
      tags,
      summary: 'Import warranties from CSV text (serial, vendor, start, end, description), matched to devices by serial (technician+)',
      description: 'Rows for serials no visible device reports are listed in `unmatched`; rows that cannot be read, by line in `errors`.',
      responses: { 200: jsonBody('WarrantyImportResult', WarrantyImportResult), ...errors(400, 401, 403, 413) },
    }),
    bodyLimit({
      maxSize: WARRANTY_IMPORT_BODY_BYTES,
      onError: () => {
        throw new ApiError(413, 'payload_too_large', `request body exceeds ${WARRANTY_IMPORT_BODY_BYTES} bytes`);
      },
    }),
    valid('json', WarrantyImportBody),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'technician');
      const result = await importWarrantyCsv(db, auth, c.req.valid('json').csv);
      await audit(c, {
        action: 'warranty.import',
        targetType: 'warranty',
        detail: { imported: result.imported, unmatched: result.unmatched.length, errors: result.errors.length },
      });
      if (result.imported) recheckAssetAlerts(c);
      return c.json(result, 200);
    },
  );

/** GET /warranties.csv: the same rows as the list, every page, formula-safe. */
export const warrantiesCsvRoutes = new Hono<AppEnv>().use('*', requireAuth).get(
  '/',
  describeRoute({ tags, summary: 'The warranty list as CSV (same filters)', responses: { 200: { description: 'text/csv' }, ...errors(400, 401) } }),
  valid('query', WarrantyListQuery),
  async (c) => {
    const { auth, db } = c.var;
    const q = c.req.valid('query');
    const now = Date.now();
    return csvResponse('warranties.csv', WARRANTY_CSV_HEADER, async (cursor) => {
      const page = await warrantyPage(db, auth, { ...q, cursor, limit: EXPORT_PAGE }, now);
      return { rows: page.items.map(warrantyCsvCells), nextCursor: page.nextCursor };
    });
  },
);
