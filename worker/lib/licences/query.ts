import * as v from 'valibot';
import { and, eq, isNull, or, type SQL } from 'drizzle-orm';
import { clients } from '../../../db/schema';
import { licences } from '../../../db/inventory-schema';
import { Id } from '../../../protocol/api/common';
import type { Licence } from '../../../protocol/api/licences';
import type { AuthContext, Db } from '../../types';
import { notFound } from '../errors';
import { afterName, byName, matches } from '../list-query';
import { DEFAULT_LIMIT, PageQuery, toPage, type Page } from '../pagination';
import { inIds } from '../sql-helpers';
import { daysLeftOf } from '../warranty/coverage';
import { compliance, installedCounts } from './compliance';

/* Licences as the API answers them: the caller's (its clients' and tenant-wide ones), with compliance. */

export const LicenceListQuery = v.object({
  q: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(200))),
  clientId: v.optional(Id),
  ...PageQuery,
});
export type LicenceListQuery = v.InferOutput<typeof LicenceListQuery>;

export type LicenceRow = typeof licences.$inferSelect & { clientName: string | null };

const columns = {
  id: licences.id,
  tenantId: licences.tenantId,
  clientId: licences.clientId,
  product: licences.product,
  vendor: licences.vendor,
  seats: licences.seats,
  keyEnc: licences.keyEnc,
  keyHint: licences.keyHint,
  expires: licences.expires,
  match: licences.match,
  notes: licences.notes,
  createdBy: licences.createdBy,
  createdAt: licences.createdAt,
  updatedAt: licences.updatedAt,
  clientName: clients.name,
};

/** A limited caller sees tenant-wide licences and its own clients'. */
function visible(auth: AuthContext): SQL | undefined {
  return auth.clientIds === null ? undefined : or(isNull(licences.clientId), inIds(licences.clientId, auth.clientIds));
}

const select = (db: Db) => db.select(columns).from(licences).leftJoin(clients, eq(clients.id, licences.clientId));

/** A licence the caller may see, or the 404 a missing one gets. */
export async function loadLicence(db: Db, auth: AuthContext, id: string): Promise<LicenceRow> {
  const row = await select(db)
    .where(and(eq(licences.tenantId, auth.tenantId), eq(licences.id, id), visible(auth)))
    .get();
  if (!row) throw notFound('licence');
  return row;
}

function toLicence(row: LicenceRow, installed: number, now: number): Licence {
  return {
    id: row.id,
    product: row.product,
    vendor: row.vendor,
    clientId: row.clientId,
    clientName: row.clientName,
    seats: row.seats,
    keyHint: row.keyHint,
    expires: row.expires,
    daysLeft: daysLeftOf(row.expires, now),
    match: row.match,
    notes: row.notes,
    compliance: compliance(installed, row.seats),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export async function licenceViews(db: Db, tenantId: string, rows: LicenceRow[], now = Date.now()): Promise<Licence[]> {
  const counts = await installedCounts(db, tenantId, rows);
  return rows.map((r) => toLicence(r, counts.get(r.id) ?? 0, now));
}

export async function licencePage(db: Db, auth: AuthContext, q: LicenceListQuery, now = Date.now()): Promise<Page<Licence>> {
  const limit = q.limit ?? DEFAULT_LIMIT;
  const rows = await select(db)
    .where(
      and(
        eq(licences.tenantId, auth.tenantId),
        visible(auth),
        q.clientId ? eq(licences.clientId, q.clientId) : undefined,
        q.q ? matches(q.q, licences.product, licences.vendor) : undefined,
        afterName(q.cursor, licences.product, licences.id),
      ),
    )
    .orderBy(...byName(licences.product, licences.id))
    .limit(limit + 1);
  const page = toPage(rows, limit, (r) => [r.product, r.id]);
  return { items: await licenceViews(db, auth.tenantId, page.items, now), nextCursor: page.nextCursor };
}

export const LICENCE_CSV_HEADER = [
  'licence_id', 'product', 'vendor', 'client', 'seats', 'installed', 'over_deployed', 'unused_seats', 'status', 'expires', 'days_left', 'key_hint',
] as const;

export const licenceCsvCells = (l: Licence) => [
  l.id, l.product, l.vendor, l.clientName ?? 'All clients', l.seats, l.compliance.installed, l.compliance.overDeployed,
  l.compliance.unusedSeats, l.compliance.status, l.expires, l.daysLeft, l.keyHint,
];
