import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { and, eq, sql } from 'drizzle-orm';
import * as v from 'valibot';
import { jobTargets } from '../../db/automation-schema';
import { IdParam } from '../../protocol/api/common';
import { CreateJobBody, Job, PromoteJobBody, RollbackJobBody } from '../../protocol/api/jobs';
import type { AppEnv } from '../types';
import { valid } from '../lib/validate';
import { requireRole } from '../lib/roles';
import { errors, jsonBody } from '../lib/responses';
import { createJob } from '../lib/jobs/create';
import { conflict, expectStatus, moveJob, startInHub } from '../lib/jobs/moves';
import { loadJobRow, toJob } from '../lib/jobs/view';

const tags = ['jobs'];

/** Rings and deployments: overriding a failed canary gate, and rolling a deployment back. Mounted under /jobs. */
export const jobDeployRoutes = new Hono<AppEnv>()
  .post(
    '/:id/promote',
    describeRoute({
      tags,
      summary: 'Override a failed canary gate: the rest of the devices run',
      description: 'Admin or higher; only a halted job; the reason goes to the audit log.',
      responses: { 200: jsonBody('the job', Job), ...errors(400, 401, 403, 404, 409) },
    }),
    valid('param', IdParam),
    valid('json', PromoteJobBody),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'admin');
      const row = await loadJobRow(db, auth, c.req.valid('param').id);
      expectStatus(row, ['halted']);
      const { reason } = c.req.valid('json');
      await moveJob(
        c,
        row,
        ['halted'],
        { status: 'running', ring: 1, gate: 'promoted' },
        { action: 'job.promote', detail: { name: row.name, reason, canaryRate: row.canaryRate } },
        'the job is no longer halted',
        [
          // Canary devices that never answered join the rest (the gate already moved them; this covers a race).
          db
            .update(jobTargets)
            .set({ ring: 1 })
            .where(and(eq(jobTargets.jobId, row.id), eq(jobTargets.status, 'pending'), sql`EXISTS (SELECT 1 FROM jobs WHERE id = ${row.id} AND gate = 'promoted')`)),
        ],
      );
      startInHub(c, row.id);
      return c.json(await toJob(db, auth.tenantId, await loadJobRow(db, auth, row.id)), 200);
    },
  )
  .post(
    '/:id/rollback',
    describeRoute({
      tags,
      summary: 'Roll a deployment back: a new deployment job removing the version (reinstalling the previous one) where this one succeeded',
      description: 'Technician or higher; only deployments that installed; `deviceIds` narrows it to some of the succeeded devices. The new job needs approval like any other.',
      responses: { 201: jsonBody('the rollback job', Job), ...errors(400, 401, 403, 404, 409) },
    }),
    valid('param', IdParam),
    valid('json', RollbackJobBody),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'technician');
      const row = await loadJobRow(db, auth, c.req.valid('param').id);
      const action = row.action as { type?: string; action?: string };
      if (row.kind !== 'deployment' || action.action !== 'install' || !row.packageVersionId) throw conflict('only a deployment that installs a package can be rolled back');
      const { deviceIds } = c.req.valid('json');
      const only = deviceIds ? JSON.stringify(deviceIds) : null;
      const { results } = await c.env.DB.prepare(
        `SELECT jt.device_id AS id FROM job_targets jt INNER JOIN devices d ON d.id = jt.device_id AND d.revoked_at IS NULL
         WHERE jt.job_id = ? AND jt.tenant_id = ? AND jt.status = 'succeeded' AND (?3 IS NULL OR jt.device_id IN (SELECT value FROM json_each(?3)))`,
      )
        .bind(row.id, auth.tenantId, only)
        .all<{ id: string }>();
      if (results.length === 0) throw conflict('the deployment succeeded on none of these devices: there is nothing to roll back');
      const body = v.parse(CreateJobBody, {
        name: `Roll back: ${row.name}`.slice(0, 120),
        action: { type: 'deploy', versionId: row.packageVersionId, action: 'rollback' },
        target: { deviceIds: results.map((r) => r.id) },
        concurrency: row.concurrency,
      });
      const created = await createJob(c, body);
      const job = await toJob(db, auth.tenantId, created.row);
      startInHub(c, created.row.id);
      return c.json(job, 201);
    },
  );
