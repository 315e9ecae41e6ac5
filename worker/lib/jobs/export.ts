import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { jobTargets } from '../../../db/automation-schema';
import { clients, commands, devices } from '../../../db/schema';
import type { Db } from '../../types';
import { csvResponse, isoTime } from '../inventory/csv-export';
import type { JobRow } from './view';

/* Output can be up to 1 MiB per device: rows are read and sent a page at a time. */
const PAGE = 100;

const HEADER = ['hostname', 'client', 'status', 'attempt', 'exit code', 'duration ms', 'started at', 'finished at', 'error', 'output'];

function page(db: Db, job: JobRow, after: string) {
  return db
    .select({
      deviceId: jobTargets.deviceId,
      hostname: sql<string>`COALESCE(${devices.hostname}, ${jobTargets.deviceId})`,
      client: clients.name,
      status: jobTargets.status,
      attempt: jobTargets.attempt,
      exitCode: jobTargets.exitCode,
      durationMs: jobTargets.durationMs,
      startedAt: commands.createdAt,
      finishedAt: commands.finishedAt,
      error: jobTargets.error,
      output: commands.output,
    })
    .from(jobTargets)
    .leftJoin(devices, eq(devices.id, jobTargets.deviceId))
    .leftJoin(clients, eq(clients.id, devices.clientId))
    .leftJoin(commands, and(eq(commands.id, jobTargets.commandId), eq(commands.tenantId, job.tenantId)))
    .where(and(eq(jobTargets.jobId, job.id), eq(jobTargets.tenantId, job.tenantId), gt(jobTargets.deviceId, after)))
    .orderBy(asc(jobTargets.deviceId))
    .limit(PAGE)
    .all();
}

/** GET /jobs/:id/export.csv: every device of the job, streamed. */
export function exportCsv(db: Db, job: JobRow): Response {
  return csvResponse(`job-${job.id}.csv`, HEADER, async (after) => {
    const rows = await page(db, job, after ?? '');
    return {
      rows: rows.map((r) => [r.hostname, r.client, r.status, r.attempt, r.exitCode, r.durationMs, isoTime(r.startedAt), isoTime(r.finishedAt), r.error, r.output]),
      nextCursor: rows.length < PAGE ? null : rows[rows.length - 1]!.deviceId,
    };
  });
}
