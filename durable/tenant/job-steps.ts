import type { TenantFeedFrame } from '../../protocol/live';
import { writeSteps, type StepUpdate } from './job-d1-rings';

export interface BufferedStep extends StepUpdate {
  jobId: string;
  deviceId: string;
}

type StepsFrame = Extract<TenantFeedFrame, { t: 'job_steps' }>;

/**
 * Deployment progress between two flushes of the job runner: only the latest step of each
 * command is kept, so a download reporting every second costs one row write per flush.
 */
export class StepBuffer {
  private steps = new Map<string, BufferedStep>();

  add(step: BufferedStep): void {
    this.steps.set(step.commandId, step);
  }

  /**
   * Writes what moved to D1 (commands whose final result is in this flush are left to it: it
   * sets their final step) and answers one job_steps frame per job.
   */
  async flush(d1: D1Database, tenantId: string, finals: ReadonlySet<string>, now: number): Promise<StepsFrame[]> {
    const steps = [...this.steps.values()];
    this.steps = new Map();
    const progress = steps.filter((s) => !finals.has(s.commandId));
    if (progress.length) await writeSteps(d1, tenantId, progress, now);
    const byJob = new Map<string, BufferedStep[]>();
    for (const s of steps) if (s.deviceId) byJob.set(s.jobId, [...(byJob.get(s.jobId) ?? []), s]);
    return [...byJob].map(([jobId, list]) => ({ t: 'job_steps', jobId, steps: list.map((s) => ({ deviceId: s.deviceId, step: s.step, progress: s.progress })) }));
  }
}
