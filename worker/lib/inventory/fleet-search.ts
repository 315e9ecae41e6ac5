import { and, or, sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { deviceInventory as di } from '../../../db/inventory-schema';
import { devices } from '../../../db/schema';
import type { FleetQuery, NumOp, SearchCondition, TextOp } from '../../../protocol/api/fleet-search';
import { versionKey } from '../../../protocol/inventory';

/*
 * A fleet query as SQL over `devices LEFT JOIN device_inventory`: every condition is a
 * fragment with bound parameters (nothing the caller typed becomes SQL text). Software
 * conditions are IN / NOT IN over device_software, which the (tenant_id, name_norm,
 * version_key) index answers: equals and starts_with as index lookups / ranges, contains as
 * an escaped LIKE. Facts of the inventory (RAM, OS, model…) are unknown for a device that
 * has not reported one, so only `no_inventory` and `hostname` match such a device.
 */

type SoftwareCondition = Extract<SearchCondition, { field: 'software' }>;

export interface CompileContext {
  tenantId: string;
  /** ms; ages and days left count from this day (UTC). */
  now: number;
  /** osKey() values of the operating systems past their end of life (see os-eol-keys.ts). */
  eolOsKeys: readonly string[];
}

const NUM_OPS: Record<NumOp, SQL> = { lt: sql.raw('<'), lte: sql.raw('<='), eq: sql.raw('='), gte: sql.raw('>='), gt: sql.raw('>') };

const likeEscape = (text: string) => text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
const contains = (col: SQL | SQLiteColumn, text: string) => sql`${col} LIKE ${`%${likeEscape(text)}%`} ESCAPE '\\'`;
const startsWith = (col: SQL | SQLiteColumn, text: string) => sql`${col} LIKE ${`${likeEscape(text)}%`} ESCAPE '\\'`;

/** The identity osEndOfLife() reads, as one JSON text SQLite and the lookup agree on. */
export const osKey = sql<string>`json_array(json_extract(${di.os}, '$.platform'), json_extract(${di.os}, '$.name'), json_extract(${di.os}, '$.version'), json_extract(${di.os}, '$.build'))`;

const hasInventory = sql`${di.deviceId} IS NOT NULL`;

/** Julian day number of UTC midnight of `now`'s day: whole days between dates stay whole. */
const julianToday = (now: number) => Math.floor(now / 86_400_000) + 2440587.5;

/*
 * The software index holds (tenant, name, version) but not the device, so a condition is an
 * uncorrelated `devices.id IN (SELECT device_id …)`: SQLite reads the matching index range
 * once, rather than once per device. The matched item is looked up per result row through
 * the device's own primary key instead: unary `+` keeps the planner off the name index there.
 */
function softwareMatch(ctx: CompileContext, c: SoftwareCondition, plus: '' | '+'): SQL {
  const col = (name: string) => sql.raw(`${plus}s.${name}`);
  const name = c.name.toLowerCase();
  let byName: SQL;
  if (c.match === 'equals') byName = sql`${col('name_norm')} = ${name}`;
  // A range on the index: every text that starts with `name` sorts between it and name + U+10FFFF.
  else if (c.match === 'starts_with') byName = sql`${col('name_norm')} >= ${name} AND ${col('name_norm')} < ${`${name}\u{10FFFF}`}`;
  else byName = contains(col('name_norm'), name);
  const byVersion = c.version ? sql` AND ${col('version_key')} ${NUM_OPS[c.version.op]} ${versionKey(c.version.value)}` : sql``;
  // tenant_id is never hidden from the planner: with device_id it is the primary key's prefix.
  return sql`s.tenant_id = ${ctx.tenantId} AND ${byName}${byVersion}`;
}

function text(col: SQL | SQLiteColumn, op: TextOp, value: string): SQL {
  if (op === 'equals') return sql`${col} = ${value} COLLATE NOCASE`;
  if (op === 'starts_with') return startsWith(col, value);
  if (op === 'contains') return contains(col, value);
  return sql`(${col} IS NOT NULL AND NOT ${contains(col, value)})`;
}

const TEXT_COLUMNS = {
  os_name: di.osName,
  manufacturer: di.manufacturer,
  model: di.model,
  serial: di.serial,
  cpu_model: di.cpuModel,
  chassis: di.chassis,
  hostname: devices.hostname,
} as const;

/** The device's age counts from the purchase date, else the earliest warranty start, else the firmware date. */
function ageStart(ctx: CompileContext): SQL {
  return sql`COALESCE(
    (SELECT a.purchase_date FROM device_assets a WHERE a.device_id = ${devices.id} AND +a.tenant_id = ${ctx.tenantId}),
    (SELECT MIN(w.start) FROM device_warranties w WHERE w.device_id = ${devices.id} AND +w.tenant_id = ${ctx.tenantId}),
    ${di.firmwareDate})`;
}

function numeric(ctx: CompileContext, field: Extract<SearchCondition, { op: NumOp; value: number }>['field']): SQL {
  switch (field) {
    case 'ram_gb':
      return sql`(${di.ramBytes} / 1e9)`;
    case 'disk_gb':
      return sql`(${di.diskBytes} / 1e9)`;
    case 'cpu_cores':
      return sql`${di.cpuCores}`;
    case 'software_count':
      return sql`${di.softwareCount}`;
    case 'age_years':
      return sql`((${julianToday(ctx.now)} - julianday(${ageStart(ctx)})) / 365.25)`;
    case 'warranty_days_left':
      return sql`(julianday((SELECT MAX(w.end) FROM device_warranties w WHERE w.device_id = ${devices.id} AND +w.tenant_id = ${ctx.tenantId})) - ${julianToday(ctx.now)})`;
  }
}

function condition(ctx: CompileContext, c: SearchCondition): SQL {
  switch (c.field) {
    case 'software': {
      const having = sql`(SELECT s.device_id FROM device_software s WHERE ${softwareMatch(ctx, c, '')})`;
      // "Missing" is a fact only about a device whose software list has been received.
      return c.op === 'installed' ? sql`${devices.id} IN ${having}` : sql`(${hasInventory} AND ${devices.id} NOT IN ${having})`;
    }
    case 'os_version':
      return sql`${di.osVersionKey} ${NUM_OPS[c.op]} ${versionKey(c.value)}`;
    case 'os_eol': {
      const eol = sql`${osKey} IN (SELECT value FROM json_each(${JSON.stringify(ctx.eolOsKeys)}))`;
      return c.op === 'is' ? sql`(${hasInventory} AND ${eol})` : sql`(${hasInventory} AND NOT ${eol})`;
    }
    case 'no_inventory':
      return sql`${di.deviceId} IS NULL`;
    case 'os_name':
    case 'manufacturer':
    case 'model':
    case 'serial':
    case 'cpu_model':
    case 'chassis':
    case 'hostname':
      return text(TEXT_COLUMNS[c.field], c.op, c.value);
    default:
      return sql`${numeric(ctx, c.field)} ${NUM_OPS[c.op]} ${c.value}`;
  }
}

/** The query's conditions combined by its `match` (the caller adds the tenant/client scope and the device filter). */
export function compileConditions(ctx: CompileContext, query: Pick<FleetQuery, 'match' | 'conditions'>): SQL {
  const parts = query.conditions.map((c) => condition(ctx, c));
  return (query.match === 'any' ? or(...parts) : and(...parts))!;
}

/**
 * The item behind the first "installed" software condition, newest version first, as JSON
 * `[name, version]`; null when the query has no such condition.
 */
export function matchedItem(ctx: CompileContext, query: Pick<FleetQuery, 'conditions'>): SQL<string | null> {
  const first = query.conditions.find((c): c is SoftwareCondition => c.field === 'software' && c.op === 'installed');
  if (!first) return sql<null>`NULL`;
  return sql<string | null>`(SELECT json_array(s.name, s.version) FROM device_software s WHERE s.device_id = ${devices.id} AND ${softwareMatch(ctx, first, '+')} ORDER BY s.version_key DESC LIMIT 1)`;
}

/** Whether the query needs the EOL lookup's keys before it can run. */
export const usesOsEol = (query: Pick<FleetQuery, 'conditions'>) => query.conditions.some((c) => c.field === 'os_eol');
