import { FINAL_STATUSES, type CommandStatus } from '../../protocol/command';
import type { TenantFeedFrame } from '../../protocol/live';
import type { CommandEvent, CommandStepEvent } from '../contracts';
import { applyResults, type ResultEvent } from './job-d1';
import { StepBuffer } from './job-steps';
import type { JobStore } from './job-store';

export const isFinal = (s: CommandStatus) => FINAL_STATUSES.includes(s);

type StepsFrame = Extract<TenantFeedFrame, { t: 'job_steps' }>;

/**
 * Command results and deployment steps between two flushes of the job runner. Buffered so a
 * burst of events costs one D1 batch, and so a late non-final event never overwrites a result.
 */
export class JobNews {
  private results = new Map<string, ResultEvent>();
  private readonly steps = new StepBuffer();

  constructor(private readonly store: JobStore) {}

  /** A DeviceHub's command event: the job it belongs to, null if none. */
  event(evt: CommandEvent): string | null {
    const ref = this.store.jobOf(evt.commandId);
    if (!ref) return null;
    const final = isFinal(evt.status);
    const before = this.results.get(evt.commandId);
    if (final || (!ref.final && !(before && isFinal(before.status)))) {
      this.results.set(evt.commandId, { jobId: ref.jobId, commandId: evt.commandId, status: evt.status, exitCode: evt.exitCode, step: evt.step });
    }
    if (final) {
      this.store.markFinal(evt.commandId);
      if (evt.step) this.steps.add({ jobId: ref.jobId, deviceId: evt.deviceId, commandId: evt.commandId, step: evt.step, progress: null });
    }
    return ref.jobId;
  }

  /** A deployment's progress: kept if its command is still open (steps of settled ones are stale). */
  step(evt: CommandStepEvent): boolean {
    const ref = this.store.jobOf(evt.commandId);
    if (!ref || ref.final) return false;
    this.steps.add({ jobId: ref.jobId, deviceId: evt.deviceId, commandId: evt.commandId, step: evt.step, progress: evt.progress });
    return true;
  }

  /** Writes what came in to D1; answers the jobs that had results and the step frames to publish. */
  async flush(d1: D1Database, tenantId: string, now: number): Promise<{ jobIds: string[]; frames: StepsFrame[] }> {
    const events = [...this.results.values()];
    this.results = new Map();
    // Progress first: a result in the same flush then sets the final step.
    const finals = new Set(events.filter((e) => isFinal(e.status)).map((e) => e.commandId));
    const frames = await this.steps.flush(d1, tenantId, finals, now);
    if (events.length) await applyResults(d1, tenantId, events, now);
    return { jobIds: events.map((e) => e.jobId), frames };
  }
}
