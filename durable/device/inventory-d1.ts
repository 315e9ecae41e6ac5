import { versionKey, type HardwareInventory, type OsInventory, type SoftwareItem } from '../../protocol/inventory';
import type { StoredChange } from './inventory-store';

/*
 * The inventory's D1 statements; one sync sends them together in db.batch().
 * Every statement is safe to repeat: upserts, deletes, and change rows with fixed ids.
 */

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

/*
 * Software rows travel as ONE bound parameter: a JSON array of row arrays, unpacked by
 * json_each in SQLite. D1's 100-parameter limit would otherwise cut 500 rows into ~70
 * statements of 7 rows each, and statement count, not row count, is what the one D1 writer
 * spends its time on. A statement carries at most ROWS_PER_STATEMENT rows (well under D1's
 * 2 MB value limit even at the schema's longest strings).
 */
export const ROWS_PER_STATEMENT = 500;
const col = (i: number) => `json_extract(j.value, '$[${i}]')`;

/** first_seen_at is kept on conflict: an upgrade is the same software, seen since then. */
export function softwareUpserts(s: Scope, rows: { key: string; item: SoftwareItem; at: number }[]): D1PreparedStatement[] {
  return chunks(rows, ROWS_PER_STATEMENT).map((part) =>
    s.db
      .prepare(
        `INSERT INTO device_software (tenant_id, device_id, key, name, name_norm, version, version_key, publisher, installed_at, size_bytes, source, arch, first_seen_at)
         SELECT ?1, ?2, ${[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(col).join(', ')} FROM json_each(?3) AS j WHERE true
         ON CONFLICT (tenant_id, device_id, key) DO UPDATE SET name = excluded.name, name_norm = excluded.name_norm,
           version = excluded.version, version_key = excluded.version_key, publisher = excluded.publisher, installed_at = excluded.installed_at,
           size_bytes = excluded.size_bytes, source = excluded.source, arch = excluded.arch`,
      )
      .bind(
        s.tenantId,
        s.deviceId,
        JSON.stringify(
          part.map(({ key, item: i, at }) => [
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
      ),
  );
}

export function softwareDeletes(s: Scope, keys: string[]): D1PreparedStatement[] {
  return chunks(keys, ROWS_PER_STATEMENT).map((part) =>
    s.db
      .prepare('DELETE FROM device_software WHERE tenant_id = ? AND device_id = ? AND key IN (SELECT value FROM json_each(?))')
      .bind(s.tenantId, s.deviceId, JSON.stringify(part)),
  );
}

export function changeInserts(s: Scope, changes: StoredChange[]): D1PreparedStatement[] {
  return chunks(changes, ROWS_PER_STATEMENT).map((part) =>
    s.db
      .prepare(
        `INSERT OR IGNORE INTO device_changes (id, tenant_id, device_id, at, kind, subject, source, from_value, to_value)
         SELECT ${col(0)}, ?1, ?2, ${[1, 2, 3, 4, 5, 6].map(col).join(', ')} FROM json_each(?3) AS j`,
      )
      .bind(s.tenantId, s.deviceId, JSON.stringify(part.map((c) => [c.id, c.at, c.kind, c.subject, c.source, c.fromValue, c.toValue]))),
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
    .prepare(`INSERT INTO device_inventory (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')}) ON CONFLICT (device_id) DO UPDATE SET ${update.join(', ')}`)
    .bind(...Object.values(values));
}

type SqlValue = string | number | null;
