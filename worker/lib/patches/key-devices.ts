import { sql } from 'drizzle-orm';
import * as v from 'valibot';
import { Approval } from '../../../protocol/api/patches';
import type { AuthContext, Db } from '../../types';
import { decodeCursor, toPage, type Page } from '../pagination';
import { badRequest } from '../errors';
import { patchesCte } from './approval';

/** GET /patches/:key/devices: the visible devices missing one update, by hostname. */
export const PatchDevice = v.object({
  deviceId: v.string(),
  hostname: v.string(),
  clientId: v.string(),
  installedVersion: v.nullable(v.string()),
  approval: Approval,
  scannedAt: v.nullable(v.number()),
});
export type PatchDevice = v.InferOutput<typeof PatchDevice>;
export const PatchDevicePage = v.object({ items: v.array(PatchDevice), nextCursor: v.nullable(v.string()) });

const LIMIT = 100;

export async function devicesMissing(db: Db, auth: Pick<AuthContext, 'tenantId' | 'clientIds'>, key: string, cursor: string | undefined, now: number): Promise<Page<PatchDevice>> {
  const after = decodeCursor(cursor);
  if (after && (typeof after[0] !== 'string' || typeof after[1] !== 'string')) throw badRequest('invalid cursor', [{ path: 'cursor', message: 'not a cursor this API issued' }]);
  const rows = await db.all<{ device_id: string; hostname: string; client_id: string; installed_version: string | null; approval: PatchDevice['approval']; scanned_at: number | null }>(
    sql`${patchesCte({ auth, now })}
      SELECT eff.device_id, d.hostname, eff.client_id, eff.installed_version, eff.approval, s.scanned_at
      FROM eff JOIN devices d ON d.id = eff.device_id LEFT JOIN patch_scans s ON s.device_id = eff.device_id
      WHERE eff.key = ${key}${after ? sql` AND (d.hostname > ${after[0]} OR (d.hostname = ${after[0]} AND d.id > ${after[1]}))` : sql``}
      ORDER BY d.hostname, d.id LIMIT ${LIMIT + 1}`,
  );
  const page = toPage(rows, LIMIT, (r) => [r.hostname, r.device_id]);
  return {
    items: page.items.map((r) => ({ deviceId: r.device_id, hostname: r.hostname, clientId: r.client_id, installedVersion: r.installed_version, approval: r.approval, scannedAt: r.scanned_at })),
    nextCursor: page.nextCursor,
  };
}
