import { eq } from 'drizzle-orm';
import * as v from 'valibot';
import { devices } from '../../../db/schema';
import { Grade, type LifecycleReport, type LifecycleReportQuery, type LifecycleRow } from '../../../protocol/api/lifecycle';
import type { AuthContext, Db } from '../../types';
import { decodeCursor, encodeCursor } from '../pagination';
import { csvResponse } from '../inventory/csv-export';
import { COMPONENTS, type ComponentKey } from './components';
import { addMonths, today } from './dates';
import { loadFacts, replaceAfterYears } from './load';
import { scoreLifecycle } from './score';

/*
 * The fleet's lifecycle, worst first. Scores are computed, not stored, so the whole scoped
 * fleet is scored on each request (one query, then arithmetic) and paged in memory; the
 * summary counts the client-filtered fleet before the grade filter, so its grade tiles stay
 * whole while one grade is shown.
 */

type Query = v.InferOutput<typeof LifecycleReportQuery>;

const DEFAULT_LIMIT = 100;

/** Worst score first, then hostname, then id: a total order the cursor can resume from. */
const sortKey = (r: LifecycleRow): [number, string, string] => [r.score, r.hostname.toLowerCase(), r.deviceId];

function compareKeys(a: readonly [number, string, string], b: readonly [number, string, string]): number {
  if (a[0] !== b[0]) return a[0] - b[0];
  if (a[1] !== b[1]) return a[1] < b[1] ? -1 : 1;
  return a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0;
}

/** Every device in view, scored and sorted; the grade filter is left to the caller. */
async function scoredFleet(db: Db, auth: AuthContext, clientId: string | undefined, now = Date.now()): Promise<LifecycleRow[]> {
  const [years, facts] = await Promise.all([
    replaceAfterYears(db, auth.tenantId),
    loadFacts(db, auth, now, clientId ? eq(devices.clientId, clientId) : undefined),
  ]);
  const rows = facts.map(
    (f): LifecycleRow => ({
      deviceId: f.deviceId,
      hostname: f.hostname,
      clientName: f.clientName,
      manufacturer: f.manufacturer,
      model: f.model,
      ...scoreLifecycle(f, now, years),
    }),
  );
  return rows.sort((a, b) => compareKeys(sortKey(a), sortKey(b)));
}

export function summarize(rows: LifecycleRow[], now: number): LifecycleReport['summary'] {
  const grades: Record<string, number> = Object.fromEntries(Grade.options.map((g) => [g, 0]));
  for (const r of rows) grades[r.grade]! += 1;
  const horizon = addMonths(today(now), 12);
  const ages = rows.flatMap((r) => (r.ageYears === null ? [] : [r.ageYears]));
  return {
    grades,
    replaceWithin12Months: rows.filter((r) => r.replaceBy !== null && r.replaceBy <= horizon).length,
    averageAgeYears: ages.length ? Math.round((ages.reduce((a, b) => a + b, 0) / ages.length) * 10) / 10 : null,
  };
}

export async function lifecycleReport(db: Db, auth: AuthContext, q: Query, now = Date.now()): Promise<LifecycleReport> {
  const fleet = await scoredFleet(db, auth, q.clientId, now);
  const after = decodeCursor(q.cursor) as [number, string, string] | undefined;
  const shown = fleet.filter((r) => (!q.grade || r.grade === q.grade) && (!after || compareKeys(sortKey(r), after) > 0));
  const limit = q.limit ?? DEFAULT_LIMIT;
  const items = shown.slice(0, limit);
  return {
    items,
    nextCursor: shown.length > limit ? encodeCursor(sortKey(items[items.length - 1]!)) : null,
    summary: summarize(fleet, now),
  };
}

const KEYS = Object.keys(COMPONENTS) as ComponentKey[];
const HEADER = [
  'hostname', 'client', 'manufacturer', 'model', 'score', 'grade', 'age years', 'since', 'since source', 'replace by', 'replace reason',
  ...KEYS.map((k) => COMPONENTS[k].label),
];

/** The report as CSV (every matching device, no paging); agent text is made formula-safe by csvResponse. */
export async function lifecycleCsv(db: Db, auth: AuthContext, q: Pick<Query, 'clientId' | 'grade'>, now = Date.now()): Promise<Response> {
  const fleet = (await scoredFleet(db, auth, q.clientId, now)).filter((r) => !q.grade || r.grade === q.grade);
  const rows = fleet.map((r) => {
    const parts = new Map(r.components.map((c) => [c.key, c.score]));
    return [
      r.hostname, r.clientName, r.manufacturer, r.model, r.score, r.grade, r.ageYears, r.since, r.sinceSource, r.replaceBy, r.replaceReason,
      ...KEYS.map((k) => parts.get(k) ?? null),
    ];
  });
  return csvResponse(`lifecycle-${today(now)}.csv`, HEADER, async () => ({ rows, nextCursor: null }));
}
