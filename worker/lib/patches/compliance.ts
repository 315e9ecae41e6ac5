import { and, asc, eq, gte, sql } from 'drizzle-orm';
import { clients, devices } from '../../../db/schema';
import { patchComplianceDaily } from '../../../db/deploy-schema';
import type { ClientCompliance, CompliancePoint, ComplianceReport } from '../../../protocol/api/patches';
import type { AuthContext, Db } from '../../types';
import { clientFilter } from '../roles';
import { inIds } from '../sql-helpers';
import { patchesCte } from './approval';

const DAY_MS = 86_400_000;

export const utcDay = (at: number) => new Date(at).toISOString().slice(0, 10);

type Counts = Omit<ClientCompliance, 'clientId' | 'clientName' | 'percent'>;

interface CountRow {
  client_id: string;
  devices: number;
  scanned: number;
  fully: number;
  critical: number;
  missing: number;
}

/*
 * Per client, from device_patches, patch_scans and approvals at `now`: a device is fully
 * patched when it was scanned and misses no update that is approved or awaiting approval
 * (declined ones do not count against it); missing critical = a not-declined update of
 * severity critical or classification critical.
 */
export async function complianceCounts(db: Db, auth: Pick<AuthContext, 'tenantId' | 'clientIds'>, now: number, clientId?: string): Promise<Map<string, Counts>> {
  const cte = patchesCte({ auth, devices: clientId ? sql`${devices.clientId} = ${clientId}` : undefined, now });
  const rows = await db.all<CountRow>(sql`${cte},
    per_device AS (
      SELECT device_id,
        sum(approval IN ('approved', 'pending')) AS open,
        max(approval <> 'declined' AND (severity = 'critical' OR classification = 'critical')) AS critical,
        sum(approval <> 'declined') AS missing
      FROM eff GROUP BY device_id
    )
    SELECT vis.client_id AS client_id, count(*) AS devices, count(s.device_id) AS scanned,
      coalesce(sum(s.device_id IS NOT NULL AND coalesce(pd.open, 0) = 0), 0) AS fully,
      coalesce(sum(coalesce(pd.critical, 0)), 0) AS critical, coalesce(sum(coalesce(pd.missing, 0)), 0) AS missing
    FROM vis
    LEFT JOIN patch_scans s ON s.device_id = vis.device_id AND s.tenant_id = ${auth.tenantId}
    LEFT JOIN per_device pd ON pd.device_id = vis.device_id
    GROUP BY vis.client_id`);
  return new Map(
    rows.map((r) => [r.client_id, { devices: r.devices, scanned: r.scanned, fullyPatched: r.fully, missingCritical: r.critical, missingTotal: r.missing }]),
  );
}

const percent = (c: Counts) => (c.scanned ? Math.round((c.fullyPatched / c.scanned) * 1000) / 10 : null);
const zero = (): Counts => ({ devices: 0, scanned: 0, fullyPatched: 0, missingCritical: 0, missingTotal: 0 });

function add(a: Counts, b: Counts): Counts {
  return {
    devices: a.devices + b.devices,
    scanned: a.scanned + b.scanned,
    fullyPatched: a.fullyPatched + b.fullyPatched,
    missingCritical: a.missingCritical + b.missingCritical,
    missingTotal: a.missingTotal + b.missingTotal,
  };
}

/**
 * The compliance report: every visible client (with no devices too), the total, and the
 * trend from patch_compliance_daily for the last `days` days, today's point computed live.
 * The whole-fleet line is the tenant's own row for callers who see every client, else the
 * sum of their clients' rows.
 */
export async function complianceReport(db: Db, auth: Pick<AuthContext, 'tenantId' | 'clientIds'>, days: number, now: number, clientId?: string): Promise<ComplianceReport> {
  const clientRows = await db
    .select({ id: clients.id, name: clients.name })
    .from(clients)
    .where(and(eq(clients.tenantId, auth.tenantId), clientFilter(auth as AuthContext, clients.id), clientId ? eq(clients.id, clientId) : undefined))
    .orderBy(asc(clients.name), asc(clients.id))
    .all();
  const counts = await complianceCounts(db, auth, now, clientId);
  const list: ClientCompliance[] = clientRows.map((c) => {
    const n = counts.get(c.id) ?? zero();
    return { clientId: c.id, clientName: c.name, ...n, percent: percent(n) };
  });
  const total = list.reduce<Counts>((acc, c) => add(acc, c), zero());

  const today = utcDay(now);
  const from = utcDay(now - (days - 1) * DAY_MS);
  const wholeTenant = auth.clientIds === null && !clientId;
  const ids = clientRows.map((c) => c.id);
  const stored = await db
    .select()
    .from(patchComplianceDaily)
    .where(
      and(
        eq(patchComplianceDaily.tenantId, auth.tenantId),
        gte(patchComplianceDaily.day, from),
        inIds(patchComplianceDaily.clientId, wholeTenant ? [...ids, ''] : ids),
      ),
    )
    .orderBy(asc(patchComplianceDaily.day))
    .all();
  const point = (day: string, id: string | null, c: Counts): CompliancePoint => ({ day, clientId: id, scanned: c.scanned, fullyPatched: c.fullyPatched, missingCritical: c.missingCritical });
  const byDay = new Map<string, CompliancePoint[]>();
  const fleet = new Map<string, Counts>();
  for (const r of stored) {
    if (r.day === today) continue;
    const list = byDay.get(r.day) ?? [];
    if (r.clientId !== '') list.push(point(r.day, r.clientId, r));
    byDay.set(r.day, list);
    if (wholeTenant ? r.clientId === '' : r.clientId !== '') fleet.set(r.day, add(fleet.get(r.day) ?? zero(), r));
  }
  const trend: CompliancePoint[] = [];
  for (const [day, points] of [...byDay].sort(([a], [b]) => a.localeCompare(b))) {
    trend.push(...points, point(day, null, fleet.get(day) ?? zero()));
  }
  trend.push(...list.map((c) => point(today, c.clientId, c)), point(today, null, total));
  return { clients: list, total: { ...total, percent: percent(total) }, trend };
}

/** Today's rows for every client of the tenant and the tenant itself (client ''), replacing any earlier ones of today. */
export async function writeDailyCompliance(db: Db, tenantId: string, now: number): Promise<number> {
  const auth = { tenantId, clientIds: null };
  const [clientRows, counts] = await Promise.all([
    db.select({ id: clients.id }).from(clients).where(eq(clients.tenantId, tenantId)).all(),
    complianceCounts(db, auth, now),
  ]);
  const day = utcDay(now);
  const rows = clientRows.map((c) => ({ clientId: c.id, ...(counts.get(c.id) ?? zero()) }));
  rows.push({ clientId: '', ...rows.reduce<Counts>((acc, r) => add(acc, r), zero()) });
  const json = JSON.stringify(rows.map((r) => [r.clientId, r.devices, r.scanned, r.fullyPatched, r.missingCritical, r.missingTotal]));
  const col = (i: number) => sql.raw(`json_extract(j.value, '$[${i}]')`);
  await db.run(sql`INSERT INTO patch_compliance_daily (tenant_id, client_id, day, devices, scanned, fully_patched, missing_critical, missing_total)
    SELECT ${tenantId}, ${col(0)}, ${day}, ${col(1)}, ${col(2)}, ${col(3)}, ${col(4)}, ${col(5)} FROM json_each(${json}) AS j WHERE true
    ON CONFLICT (tenant_id, client_id, day) DO UPDATE SET devices = excluded.devices, scanned = excluded.scanned,
      fully_patched = excluded.fully_patched, missing_critical = excluded.missing_critical, missing_total = excluded.missing_total`);
  return rows.length;
}
