import { Hono, type Context } from 'hono';
import { describeRoute } from 'hono-openapi';
import * as v from 'valibot';
import { and, asc, eq, type SQL } from 'drizzle-orm';
import type { AppEnv, AuthContext } from '../types';
import { patchSchedules } from '../../db/deploy-schema';
import { IdParam } from '../../protocol/api/common';
import { Job } from '../../protocol/api/jobs';
import { PatchSchedule, PatchScheduleBody, UpdatePatchScheduleBody } from '../../protocol/api/patches';
import { valid } from '../lib/validate';
import { requireRole } from '../lib/roles';
import { auditInsert, clientIp } from '../lib/audit';
import { notFound } from '../lib/errors';
import { newId } from '../lib/ids';
import { tenantHub } from '../lib/hubs';
import { errors, jsonBody, noContent } from '../lib/responses';
import { resolveTarget } from '../lib/jobs/targets';
import { toJob } from '../lib/jobs/view';
import { startInHub } from '../lib/jobs/moves';
import { nextRunOf, startPatchRun, toPatchSchedule, type PatchScheduleRow } from '../lib/patches/schedules';

const tags = ['patches'];
const WRITE = 'Admin or higher; audited. Each run is a `patch` job requested in the creator’s name.';

/* A client-limited caller sees the schedules they made: their runs act within their clients. */
function visible(auth: AuthContext): SQL | undefined {
  return and(eq(patchSchedules.tenantId, auth.tenantId), auth.clientIds === null ? undefined : eq(patchSchedules.createdBy, auth.userId));
}

async function loadSchedule(c: Context<AppEnv>, id: string): Promise<PatchScheduleRow> {
  const row = await c.var.db
    .select()
    .from(patchSchedules)
    .where(and(eq(patchSchedules.id, id), visible(c.var.auth)))
    .get();
  if (!row) throw notFound('patch schedule');
  return row;
}

/* The hub re-arms its alarm at the earliest next run; if it cannot be told now, the change waits for its next run. */
function tellHub(c: Context<AppEnv>): void {
  c.executionCtx.waitUntil(
    tenantHub(c.env, c.var.auth.tenantId)
      .patchSchedulesChanged()
      .catch((err: unknown) => console.error('tenant hub patchSchedulesChanged failed', err)),
  );
}

/** Patch schedules: mounted under /patches/schedules. */
export const patchScheduleRoutes = new Hono<AppEnv>()
  .get(
    '/',
    describeRoute({ tags, summary: 'Patch schedules, by name', description: 'Technician or higher.', responses: { 200: jsonBody('schedules', v.array(PatchSchedule)), ...errors(401, 403) } }),
    async (c) => {
      requireRole(c.var.auth, 'technician');
      const rows = await c.var.db.select().from(patchSchedules).where(visible(c.var.auth)).orderBy(asc(patchSchedules.name), asc(patchSchedules.id)).all();
      return c.json(rows.map(toPatchSchedule));
    },
  )
  .post(
    '/',
    describeRoute({
      tags,
      summary: 'Create a patch schedule (five-field cron in a time zone); its next run is computed',
      description: WRITE,
      responses: { 201: jsonBody('the schedule', PatchSchedule), ...errors(400, 401, 403, 404) },
    }),
    valid('json', PatchScheduleBody),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'admin');
      const body = c.req.valid('json');
      const now = Date.now();
      const nextRunAt = nextRunOf(body.cron, body.timezone, now);
      // Named devices, groups, sites and clients must be the caller's to see.
      await resolveTarget(db, auth, body.target);
      const row: PatchScheduleRow = {
        id: newId('psc', now),
        tenantId: auth.tenantId,
        ...body,
        target: body.target as Record<string, unknown>,
        nextRunAt: body.enabled ? nextRunAt : null,
        lastRunAt: null,
        lastJobId: null,
        createdBy: auth.userId,
        createdAt: now,
      };
      await db.batch([
        db.insert(patchSchedules).values(row),
        auditInsert(db, c, { action: 'patch.schedule.create', targetType: 'patch_schedule', targetId: row.id, detail: { name: row.name, cron: row.cron, timezone: row.timezone } }),
      ]);
      tellHub(c);
      return c.json(toPatchSchedule(row), 201);
    },
  )
  .get(
    '/:id',
    describeRoute({ tags, summary: 'One patch schedule', description: 'Technician or higher.', responses: { 200: jsonBody('the schedule', PatchSchedule), ...errors(401, 403, 404) } }),
    valid('param', IdParam),
    async (c) => {
      requireRole(c.var.auth, 'technician');
      return c.json(toPatchSchedule(await loadSchedule(c, c.req.valid('param').id)));
    },
  )
  .patch(
    '/:id',
    describeRoute({ tags, summary: 'Change a patch schedule; its next run is computed again', description: WRITE, responses: { 200: jsonBody('the schedule', PatchSchedule), ...errors(400, 401, 403, 404) } }),
    valid('param', IdParam),
    valid('json', UpdatePatchScheduleBody),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'admin');
      const before = await loadSchedule(c, c.req.valid('param').id);
      const patch = c.req.valid('json');
      if (patch.target) await resolveTarget(db, auth, patch.target);
      const merged = { ...before, ...patch, target: (patch.target ?? before.target) as Record<string, unknown> };
      const next = nextRunOf(merged.cron, merged.timezone, Date.now());
      const after: PatchScheduleRow = { ...merged, nextRunAt: merged.enabled ? next : null };
      const { id: _id, tenantId: _t, createdBy: _c, createdAt: _a, lastRunAt: _l, lastJobId: _j, ...set } = after;
      await db.batch([
        db.update(patchSchedules).set(set).where(and(eq(patchSchedules.id, before.id), eq(patchSchedules.tenantId, auth.tenantId))),
        auditInsert(db, c, { action: 'patch.schedule.update', targetType: 'patch_schedule', targetId: before.id, detail: { changed: Object.keys(patch) } }),
      ]);
      tellHub(c);
      return c.json(toPatchSchedule(after));
    },
  )
  .delete(
    '/:id',
    describeRoute({ tags, summary: 'Delete a patch schedule (jobs it started keep running)', description: WRITE, responses: { 204: noContent, ...errors(401, 403, 404) } }),
    valid('param', IdParam),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'admin');
      const row = await loadSchedule(c, c.req.valid('param').id);
      await db.batch([
        db.delete(patchSchedules).where(and(eq(patchSchedules.id, row.id), eq(patchSchedules.tenantId, auth.tenantId))),
        auditInsert(db, c, { action: 'patch.schedule.delete', targetType: 'patch_schedule', targetId: row.id, detail: { name: row.name } }),
      ]);
      tellHub(c);
      return c.body(null, 204);
    },
  )
  .post(
    '/:id/run',
    describeRoute({
      tags,
      summary: 'Run a patch schedule now: a `patch` job installing what is approved (its next scheduled run is unchanged)',
      description: 'Admin or higher; the job is requested by the caller and audited.',
      responses: { 201: jsonBody('the job', Job), ...errors(400, 401, 403, 404) },
    }),
    valid('param', IdParam),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'admin');
      const row = await loadSchedule(c, c.req.valid('param').id);
      const { row: job } = await startPatchRun({ db, masterKey: c.env.TETHER_MASTER_KEY }, row, auth, { ip: clientIp(c) }, Date.now());
      const view = await toJob(db, auth.tenantId, job);
      startInHub(c, job.id);
      return c.json(view, 201);
    },
  );
