import { and, asc, count, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { deviceInventory } from '../../../db/inventory-schema';
import { clients, devices } from '../../../db/schema';
import type { FleetQuery, FleetSearchPage, FleetSearchRow } from '../../../protocol/api/fleet-search';
import type { AuthContext, Db } from '../../types';
import { deviceScope } from '../device-query';
import { filterCondition } from '../jobs/device-filter';
import { afterName, byName } from '../list-query';
import { toPage } from '../pagination';
import { compileConditions, matchedItem, usesOsEol, type CompileContext } from './fleet-search';
import { eolOsKeys } from './os-eol-keys';

async function context(db: Db, auth: AuthContext, query: Pick<FleetQuery, 'conditions'>): Promise<CompileContext> {
  const now = Date.now();
  return { tenantId: auth.tenantId, now, eolOsKeys: usesOsEol(query) ? await eolOsKeys(db, auth.tenantId, now) : [] };
}

/** The devices the caller may see that the query finds (without the cursor). */
function whereOf(ctx: CompileContext, auth: AuthContext, query: FleetQuery): SQL {
  return and(deviceScope(auth), query.filter ? filterCondition(auth, query.filter) : undefined, compileConditions(ctx, query))!;
}

const joinInventory = and(eq(deviceInventory.deviceId, devices.id), eq(deviceInventory.tenantId, devices.tenantId));

function selectRows(db: Db, ctx: CompileContext, query: FleetQuery) {
  return db
    .select({
      deviceId: devices.id,
      hostname: devices.hostname,
      displayName: devices.displayName,
      clientId: devices.clientId,
      clientName: clients.name,
      status: devices.status,
      osName: sql<string | null>`COALESCE(${deviceInventory.osName}, NULLIF(${devices.osName}, ''))`,
      osVersion: sql<string | null>`COALESCE(${deviceInventory.osVersion}, NULLIF(${devices.osVersion}, ''))`,
      manufacturer: deviceInventory.manufacturer,
      model: deviceInventory.model,
      ramBytes: deviceInventory.ramBytes,
      matched: matchedItem(ctx, query),
    })
    .from(devices)
    .innerJoin(clients, eq(clients.id, devices.clientId))
    .leftJoin(deviceInventory, joinInventory);
}

type RawRow = Awaited<ReturnType<ReturnType<typeof selectRows>['all']>>[number];

function toRow(r: RawRow): FleetSearchRow {
  const matched = r.matched ? (JSON.parse(r.matched) as [string, string]) : null;
  return { ...r, status: r.status === 'online' ? 'online' : 'offline', matched: matched ? { name: matched[0], version: matched[1] } : null };
}

const hostnameOrder = byName(devices.hostname, devices.id);

/** The page and the count of a fleet search, as statements (one D1 batch). */
export async function fleetSearchStatements(db: Db, auth: AuthContext, query: FleetQuery, cursor: string | undefined, limit: number) {
  const ctx = await context(db, auth, query);
  const where = whereOf(ctx, auth, query);
  return [
    selectRows(db, ctx, query)
      .where(and(where, afterName(cursor, devices.hostname, devices.id)))
      .orderBy(...hostnameOrder.map((c) => asc(c)))
      .limit(limit + 1),
    db.select({ n: count() }).from(devices).leftJoin(deviceInventory, joinInventory).where(where),
  ] as const;
}

/** One page of the devices a fleet query finds, by hostname, with the total and how long it took. */
export async function fleetSearch(db: Db, auth: AuthContext, query: FleetQuery, cursor: string | undefined, limit: number): Promise<FleetSearchPage> {
  const started = Date.now();
  const [rows, totals] = await db.batch(await fleetSearchStatements(db, auth, query, cursor, limit));
  const page = toPage(rows, limit, (r) => [r.hostname, r.deviceId]);
  return { items: page.items.map(toRow), nextCursor: page.nextCursor, total: totals[0]?.n ?? 0, tookMs: Date.now() - started };
}

/**
 * "devices.id is one a query finds for the caller" (a job's targets), one condition with a
 * subquery per query; the EOL lookup, when any query needs it, runs once for them all.
 */
export async function fleetSearchConditions(db: Db, auth: AuthContext, queries: readonly FleetQuery[]): Promise<SQL[]> {
  if (!queries.length) return [];
  const ctx = await context(db, auth, { conditions: queries.flatMap((q) => q.conditions) });
  return queries.map((query) =>
    inArray(devices.id, db.select({ id: devices.id }).from(devices).leftJoin(deviceInventory, joinInventory).where(whereOf(ctx, auth, query))),
  );
}

export const SEARCH_CSV_HEADER = ['hostname', 'display name', 'client', 'status', 'os', 'os version', 'manufacturer', 'model', 'ram bytes', 'matched software', 'matched version'];

export const searchCsvCells = (r: FleetSearchRow) => [
  r.hostname,
  r.displayName,
  r.clientName,
  r.status,
  r.osName,
  r.osVersion,
  r.manufacturer,
  r.model,
  r.ramBytes,
  r.matched?.name,
  r.matched?.version,
];
