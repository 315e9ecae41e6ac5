import { Cron } from 'croner';
import { and, eq } from 'drizzle-orm';
import * as v from 'valibot';
import { patchSchedules } from '../../../db/deploy-schema';
import { users } from '../../../db/schema';
import { JobTarget, type CreateJobBody } from '../../../protocol/api/jobs';
import type { PatchSchedule } from '../../../protocol/api/patches';
import type { AuthContext, Db } from '../../types';
import { badRequest } from '../errors';
import { createJobFor, type CreatedJob, type CreateMeta, type JobCreator } from '../jobs/create';

export type PatchScheduleRow = typeof patchSchedules.$inferSelect;

/** When a five-field cron in `timezone` next fires after `after`; null when never. Throws 400 for a bad cron or zone. */
export function nextRunOf(cron: string, timezone: string, after: number): number | null {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch {
    throw badRequest('unknown time zone', [{ path: 'timezone', message: 'unknown time zone' }]);
  }
  if (cron.trim().split(/\s+/).length !== 5) throw badRequest('not a five-field cron expression', [{ path: 'cron', message: 'minute hour day-of-month month day-of-week' }]);
  let next: Date | null;
  try {
    next = new Cron(cron, { timezone, paused: true }).nextRun(new Date(after));
  } catch {
    throw badRequest('not a cron expression', [{ path: 'cron', message: 'minute hour day-of-month month day-of-week' }]);
  }
  return next ? next.getTime() : null;
}

export function toPatchSchedule(r: PatchScheduleRow): PatchSchedule {
  return {
    id: r.id,
    name: r.name,
    target: r.target,
    cron: r.cron,
    timezone: r.timezone,
    windowOnly: r.windowOnly,
    ttlHours: r.ttlHours,
    reboot: r.reboot,
    noticeMinutes: r.noticeMinutes,
    maxDeferrals: r.maxDeferrals,
    enabled: r.enabled,
    nextRunAt: r.nextRunAt,
    lastRunAt: r.lastRunAt,
    lastJobId: r.lastJobId,
    createdBy: r.createdBy,
    createdAt: r.createdAt,
  };
}

/** The job a run of the schedule creates: install what is approved, by the schedule's reboot policy. */
export function runBody(s: PatchScheduleRow): CreateJobBody {
  return {
    name: s.name,
    action: { type: 'install_patches', reboot: s.reboot, noticeMinutes: s.noticeMinutes, maxDeferrals: s.maxDeferrals },
    target: v.parse(JobTarget, s.target),
    concurrency: 50,
    ttlSeconds: s.ttlHours * 3600,
    schedule: { startAt: null, windowOnly: s.windowOnly },
    rings: null,
  };
}

/** Creates one run's `patch` job and records it on the schedule. */
export async function startPatchRun(deps: { db: Db; masterKey: string }, s: PatchScheduleRow, creator: JobCreator, meta: CreateMeta, now: number): Promise<CreatedJob> {
  const created = await createJobFor(deps, creator, runBody(s), { ...meta, patchScheduleId: s.id });
  await deps.db
    .update(patchSchedules)
    .set({ lastRunAt: now, lastJobId: created.row.id })
    .where(and(eq(patchSchedules.id, s.id), eq(patchSchedules.tenantId, s.tenantId)));
  return created;
}

/** A scheduled run acts with its creator's current rights; null when the creator is gone, disabled or may no longer run jobs. */
export async function scheduleCreator(db: Db, s: PatchScheduleRow): Promise<JobCreator | null> {
  const u = await db
    .select({ id: users.id, clientIds: users.clientIds, role: users.role, disabledAt: users.disabledAt })
    .from(users)
    .where(and(eq(users.id, s.createdBy), eq(users.tenantId, s.tenantId)))
    .get();
  if (!u || u.disabledAt !== null || u.role === 'client' || u.role === 'readonly') return null;
  const creator: JobCreator & Pick<AuthContext, 'role'> = { tenantId: s.tenantId, userId: u.id, clientIds: u.clientIds ?? null, role: u.role };
  return creator;
}
