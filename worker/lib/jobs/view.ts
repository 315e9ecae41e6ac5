import { and, eq, sql, type SQL } from 'drizzle-orm';
import { jobs, jobTargets } from '../../../db/automation-schema';
import { users } from '../../../db/schema';
import * as v from 'valibot';
import { JobRings, type Job } from '../../../protocol/api/jobs';
import type { AuthContext, Db } from '../../types';
import { notFound } from '../errors';
import { inIds } from '../sql-helpers';
import { countsOf, emptyCounts } from './status';

export type JobRow = typeof jobs.$inferSelect;

/* Written by the create path from a validated body; read back leniently. */
function ringsOf(raw: Record<string, unknown> | null): JobRings | null {
  if (!raw) return null;
  const parsed = v.safeParse(JobRings, raw);
  return parsed.success ? parsed.output : null;
}

/**
 * A client-limited caller sees a job only if every device it targets belongs to one of their
 * clients: a job spanning other clients is reported like a missing one.
 */
export function jobVisible(auth: AuthContext): SQL | undefined {
  if (auth.clientIds === null) return undefined;
  return sql`NOT EXISTS (SELECT 1 FROM job_targets jt INNER JOIN devices d ON d.id = jt.device_id WHERE jt.job_id = ${jobs.id} AND d.client_id NOT IN (SELECT value FROM json_each(${JSON.stringify(auth.clientIds)})))`;
}

export const jobScope = (auth: AuthContext): SQL => and(eq(jobs.tenantId, auth.tenantId), jobVisible(auth))!;

export async function loadJobRow(db: Db, auth: AuthContext, id: string): Promise<JobRow> {
  const row = await db
    .select()
    .from(jobs)
    .where(and(jobScope(auth), eq(jobs.id, id)))
    .get();
  if (!row) throw notFound('job');
  return row;
}

/** Jobs with their per-status counts and the names of who asked and who approved (two queries). */
export async function toJobs(db: Db, tenantId: string, rows: readonly JobRow[]): Promise<Job[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const userIds = [...new Set(rows.flatMap((r) => [r.requestedBy, r.approvedBy ?? r.requestedBy]))];
  const [countRows, names] = await db.batch([
    db
      .select({ jobId: jobTargets.jobId, status: jobTargets.status, n: sql<number>`count(*)`.mapWith(Number) })
      .from(jobTargets)
      .where(inIds(jobTargets.jobId, ids))
      .groupBy(jobTargets.jobId, jobTargets.status),
    db
      .select({ id: users.id, name: users.name })
      .from(users)
      .where(and(eq(users.tenantId, tenantId), inIds(users.id, userIds))),
  ]);
  const byJob = new Map<string, { status: string; n: number }[]>();
  for (const r of countRows) byJob.set(r.jobId, [...(byJob.get(r.jobId) ?? []), r]);
  const nameOf = new Map(names.map((u) => [u.id, u.name]));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    action: r.action,
    actionLabel: r.actionLabel,
    target: r.target,
    concurrency: r.concurrency,
    status: r.status,
    counts: byJob.has(r.id) ? countsOf(byJob.get(r.id)!) : emptyCounts(),
    requestedBy: r.requestedBy,
    requestedByName: nameOf.get(r.requestedBy) ?? null,
    approvedBy: r.approvedBy,
    approvedByName: r.approvedBy ? (nameOf.get(r.approvedBy) ?? null) : null,
    approvedAt: r.approvedAt,
    createdAt: r.createdAt,
    expiresAt: r.expiresAt,
    finishedAt: r.finishedAt,
    kind: r.kind,
    startAt: r.startAt,
    windowOnly: r.windowOnly,
    rings: ringsOf(r.rings),
    ring: r.ring,
    gate: r.gate,
    gateAt: r.gateAt,
    canaryRate: r.canaryRate,
  }));
}

export async function toJob(db: Db, tenantId: string, row: JobRow): Promise<Job> {
  return (await toJobs(db, tenantId, [row]))[0]!;
}
