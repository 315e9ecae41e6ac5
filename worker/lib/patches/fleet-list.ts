import { sql, type SQL } from 'drizzle-orm';
import * as v from 'valibot';
import { devices } from '../../../db/schema';
import type { FleetPatch, PatchListQuery } from '../../../protocol/api/patches';
import type { PatchClassification, PatchSeverity, PatchSource } from '../../../protocol/patches';
import type { AuthContext, Db } from '../../types';
import { badRequest } from '../errors';
import { decodeCursor, DEFAULT_LIMIT, toPage, type Page } from '../pagination';
import { APPROVAL_BY_RANK, APPROVAL_RANK_SQL, patchesCte } from './approval';

type Query = v.InferOutput<typeof PatchListQuery>;

const SEVERITY_RANK_SQL = sql.raw(`CASE severity WHEN 'critical' THEN 4 WHEN 'important' THEN 3 WHEN 'moderate' THEN 2 WHEN 'low' THEN 1 ELSE 0 END`);

interface GroupRow {
  key: string;
  source: PatchSource;
  name: string;
  title: string;
  available_version: string | null;
  classification: PatchClassification;
  sev: number;
  cves: string;
  advisory: string | null;
  reboot_required: number;
  devices: number;
  first_seen_at: number;
  approval_rank: number;
  decided: number;
  decision: 'approved' | 'declined' | null;
  decided_by: string | null;
  decided_at: number | null;
}

const SEVERITY_BY_RANK: PatchSeverity[] = ['unknown', 'low', 'moderate', 'important', 'critical'];

function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/**
 * The fleet's missing updates, one row per key, counted over the devices the caller may see;
 * most severe first, then the most devices. Filters on the update apply per device row;
 * `approval` applies to the row's approval (approved when approved for any device: that is
 * what install_patches would install somewhere).
 */
export async function listFleetPatches(db: Db, auth: Pick<AuthContext, 'tenantId' | 'clientIds'>, q: Query, now: number): Promise<Page<FleetPatch>> {
  const limit = q.limit ?? DEFAULT_LIMIT;
  const after = decodeCursor(q.cursor);
  if (after && (after.length !== 3 || typeof after[0] !== 'number' || typeof after[1] !== 'number' || typeof after[2] !== 'string')) {
    throw badRequest('invalid cursor', [{ path: 'cursor', message: 'not a cursor this API issued' }]);
  }
  const where: SQL[] = [sql`1 = 1`];
  const text = q.q?.trim();
  if (text) {
    const p = likePattern(text);
    where.push(sql`(name LIKE ${p} ESCAPE '\\' OR title LIKE ${p} ESCAPE '\\' OR key LIKE ${p} ESCAPE '\\' OR cves LIKE ${p} ESCAPE '\\')`);
  }
  if (q.source) where.push(sql`source = ${q.source}`);
  if (q.classification) where.push(sql`classification = ${q.classification}`);
  if (q.severity) where.push(sql`severity = ${q.severity}`);
  const outer: SQL[] = [sql`1 = 1`];
  if (q.approval) outer.push(sql`approval_rank = ${APPROVAL_BY_RANK.indexOf(q.approval)}`);
  if (after) {
    const [sev, count, key] = after as [number, number, string];
    outer.push(sql`(sev < ${sev} OR (sev = ${sev} AND devices < ${count}) OR (sev = ${sev} AND devices = ${count} AND key > ${key}))`);
  }
  const cte = patchesCte({ auth, devices: q.clientId ? sql`${devices.clientId} = ${q.clientId}` : undefined, now });
  const rows = await db.all<GroupRow>(sql`${cte},
    grouped AS (
      SELECT key, max(source) AS source, max(name) AS name, max(title) AS title, max(available_version) AS available_version,
        max(classification) AS classification, max(${SEVERITY_RANK_SQL}) AS sev, max(cves) AS cves, max(advisory) AS advisory,
        max(reboot_required) AS reboot_required, count(DISTINCT device_id) AS devices, min(first_seen_at) AS first_seen_at,
        max(${APPROVAL_RANK_SQL}) AS approval_rank, max(decision IS NOT NULL) AS decided, max(decision) AS decision,
        max(decided_by) AS decided_by, max(decided_at) AS decided_at
      FROM eff WHERE ${sql.join(where, sql` AND `)} GROUP BY key
    )
    SELECT * FROM grouped WHERE ${sql.join(outer, sql` AND `)} ORDER BY sev DESC, devices DESC, key ASC LIMIT ${limit + 1}`);
  const page = toPage(rows, limit, (r) => [r.sev, r.devices, r.key]);
  return {
    items: page.items.map((r) => ({
      key: r.key,
      source: r.source,
      name: r.name,
      title: r.title,
      availableVersion: r.available_version,
      classification: r.classification,
      severity: SEVERITY_BY_RANK[r.sev] ?? 'unknown',
      cves: JSON.parse(r.cves) as string[],
      advisory: r.advisory,
      rebootRequired: r.reboot_required === 1,
      devices: r.devices,
      firstSeenAt: r.first_seen_at,
      approval: r.decision ?? APPROVAL_BY_RANK[r.approval_rank],
      approvalSource: r.decided ? 'decision' : 'policy',
      decidedBy: r.decided_by,
      decidedAt: r.decided_at,
    })),
    nextCursor: page.nextCursor,
  };
}
