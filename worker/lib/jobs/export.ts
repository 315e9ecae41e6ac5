import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { jobTargets } from '../../../db/automation-schema';
import { clients, commands, devices } from '../../../db/schema';
import type { Db } from '../../types';
import { csvLine } from './csv';
import type { JobRow } from './view';

/* Output can be up to 1 MiB per device: rows are read and sent a page at a time. */
const PAGE = 100;

const HEADER = ['hostname', 'client', 'status', 'attempt', 'exit code', 'duration ms', 'started at', 'finished at', 'error', 'output'];

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

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
  const enc = new TextEncoder();
  let after = '';
  let started = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(enc.encode(csvLine(HEADER)));
      }
      const rows = await page(db, job, after);
      for (const r of rows) {
        const cells = [r.hostname, r.client, r.status, r.attempt, r.exitCode, r.durationMs, iso(r.startedAt), iso(r.finishedAt), r.error, r.output];
        controller.enqueue(enc.encode(csvLine(cells)));
      }
      if (rows.length < PAGE) controller.close();
      else after = rows[rows.length - 1]!.deviceId;
    },
  });
  const filename = `job-${job.id}.csv`;
  return new Response(body, {
    headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${filename}"`, 'cache-control': 'no-store' },
  });
}
