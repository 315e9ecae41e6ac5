import { versionKey, type HardwareInventory, type OsInventory, type SoftwareItem } from '../../protocol/inventory';
import type { StoredChange } from './inventory-store';

/*
 * The inventory's D1 statements. D1 binds at most 100 parameters per statement, so rows go
 * as multi-row statements sized to that, and one sync sends them together in db.batch().
 * Every statement is safe to repeat: upserts, deletes, and change rows with fixed ids.
 */

export const D1_MAX_PARAMS = 100;

interface Scope {
  db: D1Database;
  tenantId: string;
  deviceId: string;
}

function chunks<T>(rows: T[], perStatement: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += perStatement) out.push(rows.slice(i, i + perStatement));
  return out;
}

const SOFTWARE_COLUMNS = [
  'tenant_id',
  'device_id',
  'key',
  'name',
  'name_norm',
  'version',
  'version_key',
  'publisher',
  'installed_at',
  'size_bytes',
  'source',
  'arch',
  'first_seen_at',
] as const;
const SOFTWARE_ROWS = Math.floor(D1_MAX_PARAMS / SOFTWARE_COLUMNS.length);
const placeholders = (columns: number, rows: number) => Array.from({ length: rows }, () => `(${Array(columns).fill('?').join(', ')})`).join(', ');

/** first_seen_at is kept on conflict: an upgrade is the same software, seen since then. */
export function softwareUpserts(s: Scope, rows: { key: string; item: SoftwareItem; at: number }[]): D1PreparedStatement[] {
  const update = SOFTWARE_COLUMNS.filter((c) => c !== 'device_id' && c !== 'key' && c !== 'first_seen_at')
    .map((c) => `${c} = excluded.${c}`)
    .join(', ');
  return chunks(rows, SOFTWARE_ROWS).map((part) =>
    s.db
      .prepare(
        `INSERT INTO device_software (${SOFTWARE_COLUMNS.join(', ')}) VALUES ${placeholders(SOFTWARE_COLUMNS.length, part.length)}
         ON CONFLICT (device_id, key) DO UPDATE SET ${update}`,
      )
      .bind(
        ...part.flatMap(({ key, item: i, at }) => [
          s.tenantId,
          s.deviceId,
          key,
          i.name,
          i.name.toLowerCase(),
          i.version,
          versionKey(i.version),
          i.publisher,
          i.installedAt,
          i.sizeBytes === null ? null : Math.round(i.sizeBytes),
          i.source,
          i.arch,
          at,
        ]),
      ),
  );
}

export function softwareDeletes(s: Scope, keys: string[]): D1PreparedStatement[] {
  return chunks(keys, D1_MAX_PARAMS - 2).map((part) =>
    s.db
      .prepare(`DELETE FROM device_software WHERE tenant_id = ? AND device_id = ? AND key IN (${part.map(() => '?').join(', ')})`)
      .bind(s.tenantId, s.deviceId, ...part),
  );
}

const CHANGE_COLUMNS = ['id', 'tenant_id', 'device_id', 'at', 'kind', 'subject', 'source', 'from_value', 'to_value'] as const;

export function changeInserts(s: Scope, changes: StoredChange[]): D1PreparedStatement[] {
  return chunks(changes, Math.floor(D1_MAX_PARAMS / CHANGE_COLUMNS.length)).map((part) =>
    s.db
      .prepare(`INSERT OR IGNORE INTO device_changes (${CHANGE_COLUMNS.join(', ')}) VALUES ${placeholders(CHANGE_COLUMNS.length, part.length)}`)
      .bind(...part.flatMap((c) => [c.id, s.tenantId, s.deviceId, c.at, c.kind, c.subject, c.source, c.fromValue, c.toValue])),
  );
}

export interface InventoryRow {
  hash: string;
  collectedAt: number;
  updatedAt: number;
  os: OsInventory;
  hardware: HardwareInventory;
  softwareCount: number;
}

/** The device's one row, with the columns fleet search filters on pulled out of os and hardware. */
export function inventoryUpsert(s: Scope, r: InventoryRow): D1PreparedStatement {
  const hw = r.hardware;
  const sizes = hw.disks.map((d) => d.sizeBytes).filter((n): n is number => n !== null);
  const values: Record<string, SqlValue> = {
    device_id: s.deviceId,
    tenant_id: s.tenantId,
    hash: r.hash,
    collected_at: Math.round(r.collectedAt),
    updated_at: r.updatedAt,
    os: JSON.stringify(r.os),
    hardware: JSON.stringify(hw),
    manufacturer: hw.system.manufacturer,
    model: hw.system.model,
    serial: hw.system.serial,
    chassis: hw.system.chassis,
    cpu_model: hw.cpu.model,
    cpu_cores: hw.cpu.cores,
    ram_bytes: hw.memory.totalBytes === null ? null : Math.round(hw.memory.totalBytes),
    disk_bytes: sizes.length ? Math.round(sizes.reduce((a, b) => a + b, 0)) : null,
    os_name: r.os.name,
    os_version: r.os.version,
    os_version_key: versionKey(r.os.version),
    firmware_date: hw.bios.releaseDate,
    software_count: r.softwareCount,
  };
  const cols = Object.keys(values);
  const update = cols.filter((c) => c !== 'device_id').map((c) => `${c} = excluded.${c}`);
  return s.db
    .prepare(`INSERT INTO device_inventory (${cols.join(', ')}) VALUES ${placeholders(cols.length, 1)} ON CONFLICT (device_id) DO UPDATE SET ${update.join(', ')}`)
    .bind(...Object.values(values));
}

type SqlValue = string | number | null;
