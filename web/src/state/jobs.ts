import { createSignal, getOwner, onCleanup } from 'solid-js';
import type * as v from 'valibot';
import type { CommandSpec } from '../../../protocol/api/commands';
import type { AutomationSettings, CreateJobBody, DeviceFilter, Job, JobDevice, JobPreview, JobTarget } from '../../../protocol/api/jobs';
import type { TenantFeedFrame } from '../../../protocol/live';
import { api, call } from '../api/client';
import { compact } from '../lib/query';

export type { Job, JobDevice, AutomationSettings, DeviceFilter };
export type JobPreviewResult = v.InferOutput<typeof JobPreview>;
export type JobTargetInput = v.InferInput<typeof JobTarget>;
export type JobFrame = Extract<v.InferOutput<typeof TenantFeedFrame>, { t: 'job' }>['job'];

type Page<T> = { items: T[]; nextCursor: string | null };
export function listJobs(q: { q?: string; status?: string; kind?: string }, cursor?: string): Promise<Page<Job>> {
  return call(api.jobs.$get({ query: compact({ ...q, cursor, limit: '50' }) as never }));
}

export function loadJob(id: string): Promise<Job> {
  return call(api.jobs[':id'].$get({ param: { id } }));
}

export function listJobDevices(id: string, q: { status?: string; q?: string }, cursor?: string): Promise<Page<JobDevice>> {
  return call(api.jobs[':id'].devices.$get({ param: { id }, query: compact({ ...q, cursor, limit: '200' }) as never }));
}

export type JobDeviceRow = JobDevice & { id: string };

/** A page of a job's devices keyed by device id, as paged lists key rows; an empty status means every device. */
export async function listJobDeviceRows(jobId: string, status: string, cursor?: string): Promise<Page<JobDeviceRow>> {
  const page = await listJobDevices(jobId, status ? { status } : {}, cursor);
  return { items: page.items.map((d) => ({ ...d, id: d.deviceId })), nextCursor: page.nextCursor };
}

export function previewJob(target: JobTargetInput): Promise<JobPreviewResult> {
  return call(api.jobs.preview.$post({ json: { target } }));
}

export function createJob(json: v.InferInput<typeof CreateJobBody>): Promise<Job> {
  return call(api.jobs.$post({ json }));
}

export type JobVerb = 'approve' | 'reject' | 'cancel' | 'retry';
export function jobAction(id: string, verb: JobVerb, reason?: string): Promise<Job> {
  const j = api.jobs[':id'];
  const param = { id };
  switch (verb) {
    case 'approve':
      return call(j.approve.$post({ param }));
    case 'reject':
      return call(j.reject.$post({ param, json: { reason: reason ?? '' } }));
    case 'cancel':
      return call(j.cancel.$post({ param }));
    case 'retry':
      return call(j.retry.$post({ param }));
  }
}

export function loadAutomationSettings(): Promise<AutomationSettings> {
  return call(api.settings.automation.$get());
}

export function saveAutomationSettings(json: Partial<AutomationSettings>): Promise<AutomationSettings> {
  return call(api.settings.automation.$patch({ json }));
}

/*
 * The action a new job starts from when it is opened from elsewhere (a script's Run dialog,
 * the device list's filters). Kept in memory, not the URL: it may hold secret values.
 */
export interface JobSeed {
  action?: CommandSpec;
  /** What the action is, for the form's heading ("script: Clear temp files v3"). */
  actionLabel?: string;
  target?: Partial<JobTargetInput>;
}
const [seed, setSeed] = createSignal<JobSeed | null>(null);
export function seedJob(s: JobSeed): void {
  setSeed(s);
}
/** Read once: a later visit to /jobs/new starts empty. */
export function takeJobSeed(): JobSeed | null {
  const s = seed();
  setSeed(null);
  return s;
}

const jobListeners = new Set<(j: JobFrame) => void>();

/** Job status and counts from the tenant feed; unsubscribes with the calling scope. */
export function onJobFrame(listener: (j: JobFrame) => void): void {
  jobListeners.add(listener);
  if (getOwner()) onCleanup(() => jobListeners.delete(listener));
}

export function applyJobFrame(j: JobFrame): void {
  for (const l of jobListeners) l(j);
}

const resyncListeners = new Set<() => void>();

/** The feed came back after a gap: frames were missed, so job views read again. */
export function onJobsResync(listener: () => void): void {
  resyncListeners.add(listener);
  if (getOwner()) onCleanup(() => resyncListeners.delete(listener));
}

export function resyncJobs(): void {
  for (const l of resyncListeners) l();
}

/** A job that may still send commands: cancelling stops what has not started. */
export function isCancellable(status: Job['status']): boolean {
  return status === 'running' || status === 'awaiting_approval' || status === 'scheduled' || status === 'halted';
}

/** Failed devices can be sent the job again once it has run. */
export function canRetry(job: Pick<Job, 'status' | 'counts'>): boolean {
  return job.counts.failed > 0 && job.status !== 'awaiting_approval' && job.status !== 'rejected' && job.status !== 'scheduled';
}

/** Share of devices that reached an end (succeeded, failed or skipped), 0–100. */
export function finishedPercent(c: Job['counts']): number {
  return c.total ? Math.round(((c.succeeded + c.failed + c.skipped) / c.total) * 100) : 0;
}
