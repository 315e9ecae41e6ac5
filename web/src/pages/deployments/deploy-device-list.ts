import { createEffect, on, type Accessor } from 'solid-js';
import { createPagedList, type PagedList } from '../../lib/paged-list';
import { createThrottled } from '../../lib/throttled';
import { listJobDeviceRows, onJobFrame, onJobsResync, type JobDeviceRow } from '../../state/jobs';
import { isFinalStep, onJobSteps, type StepFrame } from '../../state/deployments';

export type DeployRow = JobDeviceRow;

/** The list reads again at most this often when devices finish (their status and error come with it). */
const RELOAD_EVERY_MS = 2000;

/**
 * A deployment's devices, live: `job_steps` frames move each row's step and download
 * progress in place (no reload per frame), frames that land while a page is on its way are
 * applied once it has, and a device reaching a final step or the job's counts moving make
 * the list read again, throttled, for the status and error text the frames do not carry.
 */
export function createDeployDeviceList(jobId: string, status: Accessor<string>): PagedList<DeployRow> {
  let held: StepFrame['steps'] | null = null;
  const list = createPagedList<DeployRow>(
    (cursor) => listJobDeviceRows(jobId, status(), cursor),
    {
      reloadStarted: () => (held = []),
      firstPage: () => apply(held ?? []),
      reloadSettled: () => (held = null),
    },
  );

  const apply = (steps: StepFrame['steps']) => {
    if (!steps.length) return;
    const byDevice = new Map(steps.map((s) => [s.deviceId, s]));
    list.setItems((items) => items.map((d) => {
      const s = byDevice.get(d.deviceId);
      return s && (s.step !== d.step || s.progress !== d.progress) ? { ...d, step: s.step, progress: s.progress } : d;
    }));
  };

  const refresh = createThrottled(() => void list.reload(), RELOAD_EVERY_MS);

  onJobSteps((f) => {
    if (f.jobId !== jobId) return;
    if (held) held.push(...f.steps);
    else apply(f.steps);
    if (f.steps.some((s) => isFinalStep(s.step))) refresh();
  });
  onJobFrame((j) => j.id === jobId && refresh());
  onJobsResync(refresh);
  createEffect(on(status, () => void list.reload()));
  return list;
}
