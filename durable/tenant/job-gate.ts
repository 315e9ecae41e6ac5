import type { Schedule } from '../device/schedule';
import type { TenantJobKind } from './alert-lifecycle';
import { loadJob, type JobGate, type JobState } from './job-d1';
import { canaryBusy, canaryOutcome, judgeGate, openGate } from './job-d1-rings';

export interface GateDeps {
  d1: D1Database;
  schedule: Schedule<TenantJobKind>;
  tenantId: () => Promise<string>;
}

const gateKey = (jobId: string) => `job_gate:${jobId}`;

/**
 * The canary gate of a job with rings. Once no canary device is running it or about to (an
 * offline one does not hold the gate), the gate waits `waitMinutes`, then judges the canary's
 * success rate: at least one success and `gatePercent`, or the job halts.
 */
export class CanaryGate {
  constructor(private readonly d: GateDeps) {}

  /**
   * After a flush: opens the gate when the canary is done, and judges it when its time has
   * come. Answers the verdict ('waiting' when a timer was set), or null when nothing changed.
   */
  async check(jobId: string, state: JobState, now: number): Promise<JobGate | null> {
    if (state.status !== 'running' || state.ring !== 0) return null;
    let gateAt = state.gateAt;
    if (state.gate === null) {
      if ((await canaryBusy(this.d.d1, jobId)) > 0) return null;
      const job = await loadJob(this.d.d1, await this.d.tenantId(), jobId);
      if (!job?.rings) return null;
      gateAt = now + job.rings.waitMinutes * 60_000;
      if (!(await openGate(this.d.d1, await this.d.tenantId(), jobId, gateAt))) return null;
    } else if (state.gate !== 'waiting') {
      return null;
    }
    if (gateAt !== null && gateAt > now) {
      this.d.schedule.put('job_gate', gateAt, gateKey(jobId));
      return 'waiting';
    }
    return this.judge(jobId, now);
  }

  /** Alarm (or a flush past the wait): the verdict, once. Null when the gate was not waiting. */
  async judge(jobId: string, now: number): Promise<JobGate | null> {
    const tenantId = await this.d.tenantId();
    const job = await loadJob(this.d.d1, tenantId, jobId);
    if (!job || job.status !== 'running' || job.ring !== 0 || job.gate !== 'waiting' || !job.rings) {
      this.d.schedule.remove(gateKey(jobId));
      return null;
    }
    if (job.gateAt !== null && job.gateAt > now) {
      this.d.schedule.put('job_gate', job.gateAt, gateKey(jobId));
      return null;
    }
    const { succeeded, failed } = await canaryOutcome(this.d.d1, jobId);
    const rate = succeeded + failed > 0 ? (succeeded * 100) / (succeeded + failed) : 0;
    const passed = succeeded >= 1 && rate >= job.rings.gatePercent;
    this.d.schedule.remove(gateKey(jobId));
    if (!(await judgeGate(this.d.d1, tenantId, jobId, passed, Math.round(rate)))) return null;
    return passed ? 'passed' : 'failed';
  }

  forget(jobId: string): void {
    this.d.schedule.remove(gateKey(jobId));
  }
}
