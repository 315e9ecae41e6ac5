import type { Context } from 'hono';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { jobs } from '../../../db/automation-schema';
import type { AppEnv } from '../../types';
import type { AuditEntry } from '../audit';
import { ApiError } from '../errors';
import { tenantHub } from '../hubs';
import { auditWhere, changes } from '../sql-helpers';
import type { JobRow } from './view';

/* How the job routes move a job from one status to another and tell the TenantHub. */

export const conflict = (message: string) => new ApiError(409, 'conflict', message);

export type JobStatusName = JobRow['status'];

/* The hub runs the job from here on; if it cannot be told now, its next sweep catches up. */
export async function tellHub(env: Env, tenantId: string, jobId: string): Promise<void> {
  await tenantHub(env, tenantId)
    .jobChanged(jobId)
    .catch((err: unknown) => console.error('tenant hub jobChanged failed', jobId, err));
}

/* Starting (or restarting) a job need not hold the answer: the hub may be busy with other jobs' results. */
export function startInHub(c: Context<AppEnv>, jobId: string): void {
  c.executionCtx.waitUntil(tellHub(c.env, c.var.auth.tenantId, jobId));
}

/* Refuses a job not in one of `from` before any write, in the words the dashboard shows. */
export function expectStatus(row: JobRow, from: readonly JobStatusName[]): void {
  if (!from.includes(row.status)) throw conflict(`the job is ${row.status.replace('_', ' ')}`);
}

/**
 * Moves a job out of one of `from` with its audit row (and `extra` writes guarded the same way)
 * as one batch; a concurrent change that got there first leaves nothing written and answers 409 `lost`.
 */
export async function moveJob(
  c: Context<AppEnv>,
  row: JobRow,
  from: JobStatusName[],
  set: Partial<typeof jobs.$inferInsert>,
  entry: AuditEntry,
  lost: string,
  extra: BatchItem<'sqlite'>[] = [],
): Promise<void> {
  const { db } = c.var;
  const guardSql = sql`EXISTS (SELECT 1 FROM jobs WHERE id = ${row.id} AND status IN (SELECT value FROM json_each(${JSON.stringify(from)})))`;
  const [, updated] = await db.batch([
    auditWhere(db, c, { targetType: 'job', targetId: row.id, ...entry }, guardSql),
    db.update(jobs).set(set).where(and(eq(jobs.id, row.id), inArray(jobs.status, from))),
    ...extra,
  ]);
  if (changes(updated) === 0) throw conflict(lost);
}
