import { and, eq, inArray, sql } from 'drizzle-orm';
import * as v from 'valibot';
import { jobTargets } from '../../../db/automation-schema';
import { devices } from '../../../db/schema';
import type { JobDevice, JobDeviceQuery, JobTargetStatus } from '../../../protocol/api/jobs';
import type { DeployStep } from '../../../protocol/packages';
import type { Db } from '../../types';
import { afterName, byName, matches } from '../list-query';
import { DEFAULT_LIMIT, toPage, type Page } from '../pagination';
import { statusesIn } from './status';
import type { JobRow } from './view';

type Query = v.InferOutput<typeof JobDeviceQuery>;

/** A job's devices by hostname; a device deleted since keeps its row, named by its id. */
export async function jobDevicePage(db: Db, job: JobRow, q: Query): Promise<Page<JobDevice>> {
  const limit = q.limit ?? DEFAULT_LIMIT;
  const hostname = sql<string>`COALESCE(${devices.hostname}, ${jobTargets.deviceId})`;
  const rows = await db
    .select({
      deviceId: jobTargets.deviceId,
      hostname,
      clientId: sql<string>`COALESCE(${devices.clientId}, '')`,
      online: sql<number>`${devices.status} = 'online'`,
      status: jobTargets.status,
      commandId: jobTargets.commandId,
      attempt: jobTargets.attempt,
      exitCode: jobTargets.exitCode,
      durationMs: jobTargets.durationMs,
      error: jobTargets.error,
      updatedAt: jobTargets.updatedAt,
      ring: jobTargets.ring,
      step: jobTargets.step,
      progress: jobTargets.progress,
    })
    .from(jobTargets)
    .leftJoin(devices, eq(devices.id, jobTargets.deviceId))
    .where(
      and(
        eq(jobTargets.jobId, job.id),
        eq(jobTargets.tenantId, job.tenantId),
        q.status ? inArray(jobTargets.status, statusesIn(q.status)) : undefined,
        matches(q.q, devices.hostname),
        afterName(q.cursor, hostname, jobTargets.deviceId),
      ),
    )
    .orderBy(...byName(hostname, jobTargets.deviceId))
    .limit(limit + 1)
    .all();
  const page = toPage(rows, limit, (r) => [r.hostname, r.deviceId]);
  return {
    items: page.items.map((r) => ({ ...r, online: r.online === 1, status: r.status as JobTargetStatus, step: r.step as DeployStep | null })),
    nextCursor: page.nextCursor,
  };
}
