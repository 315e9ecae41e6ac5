import { sql } from 'drizzle-orm';
import { devices } from '../../../db/schema';
import type { Approval, DevicePatch, DevicePatches } from '../../../protocol/api/patches';
import type { PatchClassification, PatchSeverity, PatchSource } from '../../../protocol/patches';
import { SEVERITY_RANK } from '../../../protocol/patches';
import type { AuthContext, Db } from '../../types';
import { patchesCte } from './approval';

interface EffRow {
  key: string;
  source: PatchSource;
  name: string;
  title: string;
  installed_version: string | null;
  available_version: string | null;
  classification: PatchClassification;
  severity: PatchSeverity;
  cves: string;
  advisory: string | null;
  reboot_required: number;
  size_bytes: number | null;
  released_at: number | null;
  first_seen_at: number;
  approval: Approval;
  approval_source: 'decision' | 'policy';
}

interface ScanRow {
  scanned_at: number;
  errors: string;
  reboot_pending: number;
}

/** One device's missing updates with their effective approval, most severe first. */
export async function devicePatches(db: Db, auth: Pick<AuthContext, 'tenantId' | 'clientIds'>, deviceId: string, now: number): Promise<DevicePatches> {
  const [rows, scan] = await Promise.all([
    db.all<EffRow>(sql`${patchesCte({ auth, devices: sql`${devices.id} = ${deviceId}`, now })} SELECT * FROM eff`),
    db.get<ScanRow | undefined>(sql`SELECT scanned_at, errors, reboot_pending FROM patch_scans WHERE device_id = ${deviceId} AND tenant_id = ${auth.tenantId}`),
  ]);
  const items: DevicePatch[] = rows.map((r) => ({
    key: r.key,
    source: r.source,
    name: r.name,
    title: r.title,
    installedVersion: r.installed_version,
    availableVersion: r.available_version,
    classification: r.classification,
    severity: r.severity,
    cves: JSON.parse(r.cves) as string[],
    advisory: r.advisory,
    rebootRequired: r.reboot_required === 1,
    sizeBytes: r.size_bytes,
    releasedAt: r.released_at,
    firstSeenAt: r.first_seen_at,
    approval: r.approval,
    approvalSource: r.approval_source,
  }));
  items.sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.name.localeCompare(b.name) || a.key.localeCompare(b.key));
  return {
    scannedAt: scan?.scanned_at ?? null,
    errors: scan ? (JSON.parse(scan.errors) as string[]) : [],
    rebootPending: scan?.reboot_pending === 1,
    items,
  };
}
