import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { jobs, jobTargets } from '../../db/automation-schema';
import { IdParam } from '../../protocol/api/common';
import {
  CreateJobBody,
  Job,
  JobDevicePage,
  JobDeviceQuery,
  JobListQuery,
  JobPage,
  JobPreview,
  PreviewJobBody,
  RejectJobBody,
} from '../../protocol/api/jobs';
import { SECRET_MASK } from '../../protocol/scripts';
import type { AppEnv } from '../types';
import { requireAuth } from '../middleware/auth';
import { valid } from '../lib/validate';
import { ApiError } from '../lib/errors';
import { hasRole, requireRole } from '../lib/roles';
import { errors, jsonBody } from '../lib/responses';
import { DEFAULT_LIMIT, toPage } from '../lib/pagination';
import { beforeId, idKey, matches } from '../lib/list-query';
import { conflict, expectStatus, moveJob, startInHub, tellHub, type JobStatusName } from '../lib/jobs/moves';
import { jobDeployRoutes } from './job-deploy';
import { approvalThreshold, createJob, needsApproval } from '../lib/jobs/create';
import { resolveNonEmpty } from '../lib/jobs/targets';
import { jobScope, loadJobRow, toJob, toJobs } from '../lib/jobs/view';
import { RETRYABLE } from '../lib/jobs/status';
import { jobDevicePage } from '../lib/jobs/devices';
import { exportCsv } from '../lib/jobs/export';

const tags = ['jobs'];
const READ = 'Technician or higher; a client-limited caller sees only jobs wholly within their clients.';
/* A finished job no longer holds its secret values, so it cannot sign them again. */
function needsSecrets(action: Record<string, unknown>): boolean {
  const values = action.values as Record<string, unknown> | undefined;
  const params = action.params as { secretEnv?: unknown[] } | undefined;
  return Object.values(values ?? {}).includes(SECRET_MASK) || (params?.secretEnv?.length ?? 0) > 0;
}

export const jobsRoutes = new Hono<AppEnv>()
  .use('*', requireAuth)
  .post(
    '/preview',
    describeRoute({
      tags,
      summary: 'How many devices a target names, how many are online, and whether the job would need approval',
      description: 'Technician or higher.',
      responses: { 200: jsonBody('the preview', JobPreview), ...errors(400, 401, 403, 404) },
    }),
    valid('json', PreviewJobBody),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'technician');
      const { target } = c.req.valid('json');
      const list = await resolveNonEmpty(db, auth, target);
      const threshold = await approvalThreshold(db, auth.tenantId);
      return c.json(
        {
          count: list.length,
          online: list.filter((d) => d.online).length,
          needsApproval: needsApproval(list.length, target, threshold),
          sample: list.slice(0, 20).map(({ id, hostname, online }) => ({ id, hostname, online })),
        },
        200,
      );
    },
  )
  .post(
    '/',
    describeRoute({
      tags,
      summary: 'Run a command or library script on many devices; waits for approval above the tenant threshold or for the whole tenant',
      description: 'Technician or higher.',
      responses: { 201: jsonBody('the job', Job), ...errors(400, 401, 403, 404) },
    }),
    valid('json', CreateJobBody),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'technician');
      const { row } = await createJob(c, c.req.valid('json'));
      // The answer is read before the hub starts sending, so a large job does not slow it down.
      const job = await toJob(db, auth.tenantId, row);
      // A job awaiting approval is known to the hub too: it expires if nobody approves it in time.
      startInHub(c, row.id);
      return c.json(job, 201);
    },
  )
  .get(
    '/',
    describeRoute({ tags, summary: 'Jobs, newest first; `q` searches names and actions, `kind` picks deployments or patch runs', description: READ, responses: { 200: jsonBody('a page of jobs', JobPage), ...errors(400, 401, 403) } }),
    valid('query', JobListQuery),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'technician');
      const q = c.req.valid('query');
      const limit = q.limit ?? DEFAULT_LIMIT;
      const rows = await db
        .select()
        .from(jobs)
        .where(
          and(
            jobScope(auth),
            q.status ? eq(jobs.status, q.status) : undefined,
            q.kind ? eq(jobs.kind, q.kind) : undefined,
            matches(q.q, jobs.name, jobs.actionLabel),
            beforeId(q.cursor, jobs.id),
          ),
        )
        .orderBy(desc(jobs.id))
        .limit(limit + 1)
        .all();
      const page = toPage(rows, limit, idKey);
      return c.json({ items: await toJobs(db, auth.tenantId, page.items), nextCursor: page.nextCursor }, 200);
    },
  )
  .get(
    '/:id',
    describeRoute({ tags, summary: 'One job with its counts', description: READ, responses: { 200: jsonBody('the job', Job), ...errors(401, 403, 404) } }),
    valid('param', IdParam),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'technician');
      return c.json(await toJob(db, auth.tenantId, await loadJobRow(db, auth, c.req.valid('param').id)), 200);
    },
  )
  .get(
    '/:id/devices',
    describeRoute({
      tags,
      summary: "A job's devices by hostname with their run's status (output in the CSV export)",
      description: READ,
      responses: { 200: jsonBody('a page of devices', JobDevicePage), ...errors(400, 401, 403, 404) },
    }),
    valid('param', IdParam),
    valid('query', JobDeviceQuery),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'technician');
      const row = await loadJobRow(db, auth, c.req.valid('param').id);
      return c.json(await jobDevicePage(db, row, c.req.valid('query')), 200);
    },
  )
  .get(
    '/:id/export.csv',
    describeRoute({
      tags,
      summary: 'Every device of a job as CSV: hostname, client, status, exit code, duration, times, error and output',
      description: READ,
      responses: { 200: { description: 'text/csv' }, ...errors(401, 403, 404) },
    }),
    valid('param', IdParam),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'technician');
      const row = await loadJobRow(db, auth, c.req.valid('param').id);
      return exportCsv(db, row);
    },
  )
  .post(
    '/:id/approve',
    describeRoute({
      tags,
      summary: 'Approve a job waiting for approval; it starts at once, or at its start time when that is still ahead',
      description: 'Admin or higher, and not the user who asked for it (`self_approval`).',
      responses: { 200: jsonBody('the job', Job), ...errors(401, 403, 404, 409) },
    }),
    valid('param', IdParam),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'admin');
      const row = await loadJobRow(db, auth, c.req.valid('param').id);
      if (row.requestedBy === auth.userId) throw new ApiError(403, 'self_approval', 'a job needs another person to approve it');
      expectStatus(row, ['awaiting_approval']);
      const now = Date.now();
      if (row.expiresAt <= now) throw conflict('the job expired before it was approved');
      // A job whose start is still ahead waits for it; one whose start has passed runs now.
      const status = row.startAt !== null && row.startAt > now ? 'scheduled' : 'running';
      await moveJob(
        c,
        row,
        ['awaiting_approval'],
        { status, approvedBy: auth.userId, approvedAt: now },
        { action: 'job.approve', detail: { name: row.name, devices: row.total, approvedBy: auth.userId, requestedBy: row.requestedBy } },
        'the job is no longer awaiting approval',
      );
      startInHub(c, row.id);
      return c.json(await toJob(db, auth.tenantId, await loadJobRow(db, auth, row.id)), 200);
    },
  )
  .post(
    '/:id/reject',
    describeRoute({
      tags,
      summary: 'Reject a job waiting for approval; nothing runs',
      description: 'Admin or higher, or the user who asked for it.',
      responses: { 200: jsonBody('the job', Job), ...errors(400, 401, 403, 404, 409) },
    }),
    valid('param', IdParam),
    valid('json', RejectJobBody),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'technician');
      const row = await loadJobRow(db, auth, c.req.valid('param').id);
      if (!hasRole(auth, 'admin') && row.requestedBy !== auth.userId) throw new ApiError(403, 'forbidden', 'requires the admin role or higher');
      expectStatus(row, ['awaiting_approval']);
      const { reason } = c.req.valid('json');
      const now = Date.now();
      await moveJob(
        c,
        row,
        ['awaiting_approval'],
        { status: 'rejected', rejectedReason: reason || null, secretsEnc: null, finishedAt: now },
        { action: 'job.reject', detail: { name: row.name, reason, requestedBy: row.requestedBy } },
        'the job is no longer awaiting approval',
        [
          db
            .update(jobTargets)
            .set({ status: 'cancelled', updatedAt: now })
            .where(and(eq(jobTargets.jobId, row.id), eq(jobTargets.status, 'pending'), sql`EXISTS (SELECT 1 FROM jobs WHERE id = ${row.id} AND status = 'rejected')`)),
        ],
      );
      return c.json(await toJob(db, auth.tenantId, await loadJobRow(db, auth, row.id)), 200);
    },
  )
  .post(
    '/:id/cancel',
    describeRoute({
      tags,
      summary: 'Cancel a job: devices not yet sent it are skipped and commands still queued are withdrawn; runs already started finish',
      description: 'Technician or higher.',
      responses: { 200: jsonBody('the job', Job), ...errors(401, 403, 404, 409) },
    }),
    valid('param', IdParam),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'technician');
      const row = await loadJobRow(db, auth, c.req.valid('param').id);
      const open: JobStatusName[] = ['running', 'awaiting_approval', 'scheduled', 'halted'];
      expectStatus(row, open);
      await moveJob(
        c,
        row,
        open,
        { status: 'cancelled', secretsEnc: null, finishedAt: Date.now() },
        { action: 'job.cancel', detail: { name: row.name, was: row.status } },
        'the job has already ended',
      );
      // The hub skips pending devices and withdraws undelivered commands, after any dispatch in progress.
      await tellHub(c.env, auth.tenantId, row.id);
      return c.json(await toJob(db, auth.tenantId, await loadJobRow(db, auth, row.id)), 200);
    },
  )
  .post(
    '/:id/retry',
    describeRoute({
      tags,
      summary: 'Send the job again to the devices where it failed, timed out, was interrupted or refused (until the job expires)',
      description: 'Technician or higher.',
      responses: { 200: jsonBody('the job', Job), ...errors(401, 403, 404, 409) },
    }),
    valid('param', IdParam),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'technician');
      const row = await loadJobRow(db, auth, c.req.valid('param').id);
      const now = Date.now();
      const retryable: JobStatusName[] = ['running', 'completed'];
      expectStatus(row, retryable);
      if (row.expiresAt <= now) throw conflict('the job has expired; create it again');
      if (row.status === 'completed' && needsSecrets(row.action)) throw conflict('the job has ended and no longer holds its secret values; create it again');
      const failedOnly = and(eq(jobTargets.jobId, row.id), inArray(jobTargets.status, [...RETRYABLE]));
      const failed = await db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(jobTargets).where(failedOnly).get();
      if (!failed?.n) throw conflict('no device failed: there is nothing to retry');
      await moveJob(
        c,
        row,
        retryable,
        { status: 'running', finishedAt: null },
        { action: 'job.retry', detail: { name: row.name, devices: failed.n } },
        'the job has ended',
        [
          db
            .update(jobTargets)
            .set({ status: 'pending', attempt: sql`${jobTargets.attempt} + 1`, commandId: null, exitCode: null, durationMs: null, error: null, step: null, progress: null, updatedAt: now })
            .where(and(failedOnly, sql`EXISTS (SELECT 1 FROM jobs WHERE id = ${row.id} AND status = 'running')`)),
        ],
      );
      startInHub(c, row.id);
      return c.json(await toJob(db, auth.tenantId, await loadJobRow(db, auth, row.id)), 200);
    },
  )
  .route('/', jobDeployRoutes);
