import { drizzle } from 'drizzle-orm/d1';
import { and, eq, gte, lte, min } from 'drizzle-orm';
import * as schema from '../../db/schema';
import { patchSchedules } from '../../db/deploy-schema';
import { jobs } from '../../db/automation-schema';
import { ApiError } from '../../worker/lib/errors';
import { writeDailyCompliance } from '../../worker/lib/patches/compliance';
import { nextRunOf, scheduleCreator, startPatchRun, type PatchScheduleRow } from '../../worker/lib/patches/schedules';
import type { Schedule } from '../device/schedule';
import type { TenantJobKind } from './alert-lifecycle';

const DAY_MS = 86_400_000;
/* The day's compliance row is taken late in the UTC day, so it shows how the day ended. */
const COMPLIANCE_AT_MS = 23 * 3600_000 + 50 * 60_000;

export function nextComplianceAt(now: number): number {
  const at = Math.floor(now / DAY_MS) * DAY_MS + COMPLIANCE_AT_MS;
  return at > now ? at : at + DAY_MS;
}

export interface PatchRunDeps {
  d1: D1Database;
  schedule: Schedule<TenantJobKind>;
  tenantId: () => Promise<string>;
  masterKey: string;
  /** Tells the job runner about a job just written to D1. */
  started: (jobId: string) => Promise<void>;
}

/**
 * Patch schedules and the daily compliance row. The alarm kind `patch_schedule` sits at the
 * earliest next run of the tenant's enabled schedules; each due schedule creates one `patch`
 * job. A run is keyed by schedule and due time: a retried alarm finds the job the first
 * attempt made (created at or after the due time) and only moves the schedule on.
 */
export class PatchRuns {
  constructor(private readonly d: PatchRunDeps) {
    d.schedule.putIfAbsent('patch_compliance', nextComplianceAt(Date.now()));
  }

  private db() {
    return drizzle(this.d.d1, { schema });
  }

  async runDue(now: number): Promise<void> {
    const tenantId = await this.d.tenantId();
    const db = this.db();
    const due = await db
      .select()
      .from(patchSchedules)
      .where(and(eq(patchSchedules.tenantId, tenantId), eq(patchSchedules.enabled, true), lte(patchSchedules.nextRunAt, now)))
      .all();
    for (const s of due) await this.runOne(s, now);
    await this.arm();
  }

  private async runOne(s: PatchScheduleRow, now: number): Promise<void> {
    const db = this.db();
    const dueAt = s.nextRunAt!;
    const made = await db
      .select({ id: jobs.id })
      .from(jobs)
      .where(and(eq(jobs.tenantId, s.tenantId), eq(jobs.patchScheduleId, s.id), gte(jobs.createdAt, dueAt)))
      .get();
    if (!made) {
      const creator = await scheduleCreator(db, s);
      if (creator) {
        try {
          const { row } = await startPatchRun({ db, masterKey: this.d.masterKey }, s, creator, { actorType: 'system' }, now);
          await this.d.started(row.id);
        } catch (err) {
          // A target that names nobody (any more) skips this run; D1 trouble retries it.
          if (!(err instanceof ApiError)) throw err;
          console.error('patch schedule run skipped', s.id, err.message);
        }
      } else {
        console.error('patch schedule run skipped: its creator may no longer run jobs', s.id);
      }
    }
    let next: number | null;
    try {
      next = nextRunOf(s.cron, s.timezone, Math.max(now, dueAt));
    } catch {
      next = null;
    }
    await db
      .update(patchSchedules)
      .set({ nextRunAt: next })
      .where(and(eq(patchSchedules.id, s.id), eq(patchSchedules.tenantId, s.tenantId), eq(patchSchedules.nextRunAt, dueAt)));
  }

  /** Points `patch_schedule` at the earliest enabled schedule's next run (after any change to them). */
  async arm(): Promise<void> {
    const tenantId = await this.d.tenantId();
    const row = await this.db()
      .select({ at: min(patchSchedules.nextRunAt) })
      .from(patchSchedules)
      .where(and(eq(patchSchedules.tenantId, tenantId), eq(patchSchedules.enabled, true)))
      .get();
    if (row?.at == null) this.d.schedule.remove('patch_schedule');
    else this.d.schedule.put('patch_schedule', row.at);
  }

  async daily(now: number): Promise<void> {
    await writeDailyCompliance(this.db(), await this.d.tenantId(), now);
    this.d.schedule.put('patch_compliance', nextComplianceAt(now));
  }
}
