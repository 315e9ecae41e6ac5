import { getOwner, onCleanup } from 'solid-js';
import type * as v from 'valibot';
import type { Job, JobRings, JobSchedule } from '../../../protocol/api/jobs';
import type { TenantFeedFrame } from '../../../protocol/live';
import { DeployStep, FINAL_DEPLOY_STEPS } from '../../../protocol/packages';
import { api, call } from '../api/client';
import type { Page } from '../lib/paged-list';
import { createJob, listJobs, type JobTargetInput } from './jobs';

export type { Job };
export type Step = v.InferOutput<typeof DeployStep>;
export type StepFrame = Extract<v.InferOutput<typeof TenantFeedFrame>, { t: 'job_steps' }>;
export type RingsInput = v.InferInput<typeof JobRings>;
export type ScheduleInput = v.InferInput<typeof JobSchedule>;
export type DeployAction = 'install' | 'uninstall' | 'rollback';

export const STEPS = DeployStep.options;
export const isFinalStep = (s: Step): boolean => FINAL_DEPLOY_STEPS.includes(s);

export const STEP_LABEL: Record<Step, string> = {
  pending: 'pending',
  downloading: 'downloading',
  verifying: 'verifying',
  installing: 'installing',
  checking: 'checking',
  rolling_back: 'rolling back',
  succeeded: 'succeeded',
  failed: 'failed',
  rolled_back: 'rolled back',
};
export const STEP_TONE: Record<Step, string> = {
  pending: 'muted',
  downloading: 'info',
  verifying: 'info',
  installing: 'info',
  checking: 'info',
  rolling_back: 'warn',
  succeeded: 'ok',
  failed: 'bad',
  rolled_back: 'warn',
};

export function listDeployments(q: { q?: string; status?: string }, cursor?: string): Promise<Page<Job>> {
  return listJobs({ ...q, kind: 'deployment' }, cursor);
}

/** What a deployment job does to its package version (its action spec is `{type:'deploy', versionId, action}`). */
export function deployActionOf(job: Pick<Job, 'action'>): DeployAction | null {
  const a = job.action as { type?: unknown; action?: unknown };
  if (a.type !== 'deploy') return null;
  return a.action === 'uninstall' || a.action === 'rollback' ? a.action : 'install';
}

export function deployVersionOf(job: Pick<Job, 'action'>): string | null {
  const a = job.action as { type?: unknown; versionId?: unknown };
  return a.type === 'deploy' && typeof a.versionId === 'string' ? a.versionId : null;
}

export interface NewDeployment {
  name?: string;
  versionId: string;
  action: 'install' | 'uninstall';
  target: JobTargetInput;
  concurrency: number;
  ttlSeconds: number;
  schedule: ScheduleInput;
  rings: RingsInput | null;
}

export function createDeployment(d: NewDeployment): Promise<Job> {
  return createJob({
    ...(d.name ? { name: d.name } : {}),
    action: { type: 'deploy', versionId: d.versionId, action: d.action },
    target: d.target,
    concurrency: d.concurrency,
    ttlSeconds: d.ttlSeconds,
    schedule: d.schedule,
    rings: d.rings,
  });
}

/** A halted canary gate overridden (admin+): the rest of the devices run. */
export function promoteJob(id: string, reason: string): Promise<Job> {
  return call(api.jobs[':id'].promote.$post({ param: { id }, json: { reason } }));
}

/** A new deployment (action rollback) for the devices where this one succeeded; answers that job. */
export function rollbackJob(id: string, deviceIds?: string[]): Promise<Job> {
  return call(api.jobs[':id'].rollback.$post({ param: { id }, json: deviceIds ? { deviceIds } : {} }));
}

const stepListeners = new Set<(f: StepFrame) => void>();

/** Per-device steps and download progress from the tenant feed; unsubscribes with the calling scope. */
export function onJobSteps(listener: (f: StepFrame) => void): void {
  stepListeners.add(listener);
  if (getOwner()) onCleanup(() => stepListeners.delete(listener));
}

export function applyJobSteps(f: StepFrame): void {
  for (const l of stepListeners) l(f);
}
