import type { PatchItem, PatchScan } from '../../protocol/patches';

/*
 * A scan replaces the device's patch rows: one D1 batch upserts what the scan lists and
 * deletes what it no longer lists. Rows travel as one JSON parameter per statement (json_each),
 * as inventory rows do. first_seen_at is the tenant's earliest sighting of the key: an
 * approval policy's `afterDays` counts from it, so a device reporting an update late does
 * not restart the clock, and neither does a rescan.
 */

export const PATCH_ROWS_PER_STATEMENT = 500;
const col = (i: number) => `json_extract(j.value, '$[${i}]')`;

interface Scope {
  db: D1Database;
  tenantId: string;
  deviceId: string;
}

function row(i: PatchItem): unknown[] {
  return [
    i.key,
    i.source,
    i.name,
    i.title,
    i.installedVersion,
    i.availableVersion,
    i.classification,
    i.severity,
    JSON.stringify(i.cves),
    i.advisory,
    i.rebootRequired ? 1 : 0,
    i.sizeBytes === null ? null : Math.round(i.sizeBytes),
    i.releasedAt === null ? null : Math.round(i.releasedAt),
  ];
}

/** The statements of one scan, in order; every one is safe to repeat. */
export function patchScanStatements(s: Scope, scan: PatchScan, now: number): D1PreparedStatement[] {
  // A key listed twice is one update: the last listing wins.
  const items = [...new Map(scan.items.map((i) => [i.key, i])).values()];
  const out: D1PreparedStatement[] = [
    s.db
      .prepare('DELETE FROM device_patches WHERE tenant_id = ?1 AND device_id = ?2 AND key NOT IN (SELECT value FROM json_each(?3))')
      .bind(s.tenantId, s.deviceId, JSON.stringify(items.map((i) => i.key))),
  ];
  for (let at = 0; at < items.length; at += PATCH_ROWS_PER_STATEMENT) {
    const part = items.slice(at, at + PATCH_ROWS_PER_STATEMENT);
    out.push(
      s.db
        .prepare(
          `INSERT INTO device_patches (tenant_id, device_id, key, source, name, title, installed_version, available_version, classification, severity, cves, advisory, reboot_required, size_bytes, released_at, first_seen_at)
           SELECT ?1, ?2, ${[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map(col).join(', ')},
             COALESCE((SELECT min(p.first_seen_at) FROM device_patches p WHERE p.tenant_id = ?1 AND p.key = ${col(0)}), ?3)
           FROM json_each(?4) AS j WHERE true
           ON CONFLICT (tenant_id, device_id, key) DO UPDATE SET source = excluded.source, name = excluded.name, title = excluded.title,
             installed_version = excluded.installed_version, available_version = excluded.available_version, classification = excluded.classification,
             severity = excluded.severity, cves = excluded.cves, advisory = excluded.advisory, reboot_required = excluded.reboot_required,
             size_bytes = excluded.size_bytes, released_at = excluded.released_at`,
        )
        .bind(s.tenantId, s.deviceId, now, JSON.stringify(part.map(row))),
    );
  }
  out.push(
    s.db
      .prepare(
        `INSERT INTO patch_scans (device_id, tenant_id, scanned_at, sources, errors, reboot_pending, missing) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (device_id) DO UPDATE SET tenant_id = excluded.tenant_id, scanned_at = excluded.scanned_at, sources = excluded.sources,
           errors = excluded.errors, reboot_pending = excluded.reboot_pending, missing = excluded.missing`,
      )
      .bind(s.deviceId, s.tenantId, Math.round(scan.scannedAt), JSON.stringify(scan.sources), JSON.stringify(scan.errors), scan.rebootPending ? 1 : 0, items.length),
  );
  return out;
}
