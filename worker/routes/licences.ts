import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import * as v from 'valibot';
import { and, eq } from 'drizzle-orm';
import type { AppEnv, AuthContext, Db } from '../types';
import { clients } from '../../db/schema';
import { licences } from '../../db/inventory-schema';
import { IdParam } from '../../protocol/api/common';
import { CreateLicence, Licence, UpdateLicence } from '../../protocol/api/licences';
import { requireAuth } from '../middleware/auth';
import { valid } from '../lib/validate';
import { badRequest, forbidden } from '../lib/errors';
import { requireRole } from '../lib/roles';
import { newId } from '../lib/ids';
import { audit, auditInsert } from '../lib/audit';
import { errors, jsonBody, noContent } from '../lib/responses';
import { DEFAULT_LIMIT, PageQuery, decodeCursor, toPage } from '../lib/pagination';
import { csvResponse } from '../lib/inventory/csv-export';
import { LICENCE_CSV_HEADER, licenceCsvCells, LicenceListQuery, licencePage, licenceViews, loadLicence } from '../lib/licences/query';
import { seatDevices } from '../lib/licences/compliance';
import { openKey, sealKey } from '../lib/licences/keys';
import { recheckAssetAlerts } from '../lib/warranty/recheck';

const tags = ['assets'];
/** Each licence costs a count statement: smaller pages than other exports. */
const LICENCE_EXPORT_PAGE = 100;
const LicencePage = v.object({ items: v.array(Licence), nextCursor: v.nullable(v.string()) });
const SeatDevice = v.object({ deviceId: v.string(), hostname: v.string(), clientId: v.string(), clientName: v.string(), software: v.string(), version: v.string() });
const SeatDevicePage = v.object({ items: v.array(SeatDevice), nextCursor: v.nullable(v.string()) });

/** A licence's client must be one the caller may see; an unknown and an invisible one read the same. */
async function checkClient(db: Db, auth: AuthContext, clientId: string | null): Promise<void> {
  if (clientId === null) {
    if (auth.clientIds !== null) throw forbidden('a licence for every client needs access to every client');
    return;
  }
  const found = await db.select({ id: clients.id }).from(clients).where(and(eq(clients.tenantId, auth.tenantId), eq(clients.id, clientId))).get();
  if (!found || (auth.clientIds !== null && !auth.clientIds.includes(clientId))) throw badRequest('unknown client', [{ path: 'clientId', message: 'no such client' }]);
}

async function view(db: Db, auth: AuthContext, id: string): Promise<Licence> {
  const [licence] = await licenceViews(db, auth.tenantId, [await loadLicence(db, auth, id)]);
  return licence!;
}

/** What the audit log keeps of a licence: never the key. */
const auditable = (body: Partial<CreateLicence>) => {
  const { key, ...rest } = body;
  return key === undefined ? rest : { ...rest, keyChanged: true };
};

export const licencesRoutes = new Hono<AppEnv>()
  .use('*', requireAuth)
  .get(
    '/',
    describeRoute({
      tags,
      summary: 'Licences the caller may see (its clients\' and tenant-wide ones), by product, each with its compliance',
      responses: { 200: jsonBody('page of Licence', LicencePage), ...errors(400, 401) },
    }),
    valid('query', LicenceListQuery),
    async (c) => c.json(await licencePage(c.var.db, c.var.auth, c.req.valid('query')), 200),
  )
  .post(
    '/',
    describeRoute({
      tags,
      summary: 'Record a licence (technician+); a tenant-wide one (no clientId) needs access to every client',
      responses: { 201: jsonBody('Licence', Licence), ...errors(400, 401, 403) },
    }),
    valid('json', CreateLicence),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'technician');
      const body = c.req.valid('json');
      const clientId = body.clientId ?? null;
      await checkClient(db, auth, clientId);
      const now = Date.now();
      const id = newId('lic', now);
      await db.batch([
        db.insert(licences).values({
          id,
          tenantId: auth.tenantId,
          clientId,
          product: body.product,
          vendor: body.vendor || null,
          seats: body.seats,
          ...(await sealKey(c.env.TETHER_MASTER_KEY, body.key)),
          expires: body.expires ?? null,
          match: body.match,
          notes: body.notes || null,
          createdBy: auth.actorId,
          createdAt: now,
          updatedAt: now,
        }),
        auditInsert(db, c, { action: 'licence.create', targetType: 'licence', targetId: id, detail: auditable(body) }),
      ]);
      if (body.expires) recheckAssetAlerts(c);
      return c.json(await view(db, auth, id), 201);
    },
  )
  .get(
    '/:id',
    describeRoute({ tags, summary: 'A licence with its compliance', responses: { 200: jsonBody('Licence', Licence), ...errors(401, 404) } }),
    valid('param', IdParam),
    async (c) => c.json(await view(c.var.db, c.var.auth, c.req.valid('param').id), 200),
  )
  .patch(
    '/:id',
    describeRoute({
      tags,
      summary: 'Change a licence (technician+); `key: null` removes the key',
      responses: { 200: jsonBody('Licence', Licence), ...errors(400, 401, 403, 404) },
    }),
    valid('param', IdParam),
    valid('json', UpdateLicence),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'technician');
      const row = await loadLicence(db, auth, c.req.valid('param').id);
      const body = c.req.valid('json');
      if (body.clientId !== undefined && (body.clientId ?? null) !== row.clientId) await checkClient(db, auth, body.clientId ?? null);
      const set: Partial<typeof licences.$inferInsert> = { updatedAt: Date.now() };
      if (body.product !== undefined) set.product = body.product;
      if (body.vendor !== undefined) set.vendor = body.vendor || null;
      if (body.clientId !== undefined) set.clientId = body.clientId ?? null;
      if (body.seats !== undefined) set.seats = body.seats;
      if (body.key !== undefined) Object.assign(set, await sealKey(c.env.TETHER_MASTER_KEY, body.key));
      if (body.expires !== undefined) set.expires = body.expires;
      if (body.match !== undefined) set.match = body.match;
      if (body.notes !== undefined) set.notes = body.notes || null;
      await db.batch([
        db.update(licences).set(set).where(and(eq(licences.tenantId, auth.tenantId), eq(licences.id, row.id))),
        auditInsert(db, c, { action: 'licence.update', targetType: 'licence', targetId: row.id, detail: auditable(body) }),
      ]);
      if (row.expires || body.expires || body.match || body.clientId !== undefined) recheckAssetAlerts(c);
      return c.json(await view(db, auth, row.id), 200);
    },
  )
  .delete(
    '/:id',
    describeRoute({ tags, summary: 'Delete a licence (admin+); its expiry alerts resolve', responses: { 204: noContent, ...errors(401, 403, 404) } }),
    valid('param', IdParam),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'admin');
      const row = await loadLicence(db, auth, c.req.valid('param').id);
      await db.batch([
        db.delete(licences).where(and(eq(licences.tenantId, auth.tenantId), eq(licences.id, row.id))),
        auditInsert(db, c, { action: 'licence.delete', targetType: 'licence', targetId: row.id, detail: { product: row.product, clientId: row.clientId } }),
      ]);
      recheckAssetAlerts(c);
      return c.body(null, 204);
    },
  )
  .get(
    '/:id/key',
    describeRoute({ tags, summary: 'Reveal the licence key (admin+; audited)', responses: { 200: jsonBody('{ key }', v.object({ key: v.nullable(v.string()) })), ...errors(401, 403, 404) } }),
    valid('param', IdParam),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'admin');
      const row = await loadLicence(db, auth, c.req.valid('param').id);
      const key = row.keyEnc ? await openKey(c.env.TETHER_MASTER_KEY, row.keyEnc) : null;
      await audit(c, { action: 'licence.key_reveal', targetType: 'licence', targetId: row.id, detail: { product: row.product } });
      return c.json({ key }, 200);
    },
  )
  .get(
    '/:id/devices',
    describeRoute({
      tags,
      summary: 'The devices using a seat (those the caller may see), with the matching software',
      responses: { 200: jsonBody('page of devices', SeatDevicePage), ...errors(400, 401, 404) },
    }),
    valid('param', IdParam),
    valid('query', v.object(PageQuery)),
    async (c) => {
      const { auth, db } = c.var;
      const row = await loadLicence(db, auth, c.req.valid('param').id);
      const q = c.req.valid('query');
      const limit = q.limit ?? DEFAULT_LIMIT;
      const after = decodeCursor(q.cursor)?.[0];
      if (after !== undefined && typeof after !== 'string') throw badRequest('invalid cursor', [{ path: 'cursor', message: 'not a cursor this API issued' }]);
      const rows = await seatDevices(db, auth.tenantId, row, auth.clientIds, after, limit);
      const page = toPage(rows, limit, (r) => [r.deviceId]);
      return c.json({ items: page.items.map(({ topVersionKey: _k, ...r }) => r), nextCursor: page.nextCursor }, 200);
    },
  );

/** GET /licences.csv: the caller's licences with compliance, formula-safe. */
export const licencesCsvRoutes = new Hono<AppEnv>().use('*', requireAuth).get(
  '/',
  describeRoute({ tags, summary: 'The licence list as CSV (same filters)', responses: { 200: { description: 'text/csv' }, ...errors(400, 401) } }),
  valid('query', LicenceListQuery),
  async (c) => {
    const { auth, db } = c.var;
    const q = c.req.valid('query');
    const now = Date.now();
    return csvResponse('licences.csv', LICENCE_CSV_HEADER, async (cursor) => {
      const page = await licencePage(db, auth, { ...q, cursor, limit: LICENCE_EXPORT_PAGE }, now);
      return { rows: page.items.map(licenceCsvCells), nextCursor: page.nextCursor };
    });
  },
);
