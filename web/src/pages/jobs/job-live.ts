import { createResource, type Resource } from 'solid-js';
import { settled } from '../../lib/resource';
import { loadJob, onJobFrame, onJobsResync, type Job } from '../../state/jobs';

/**
 * One job, kept current by the tenant feed: counts move in place, and a new status (which
 * brings new names and times: approved by, finished at, the gate) reads the job again.
 */
export function createLiveJob(id: () => string): { job: Resource<Job>; set: (j: Job) => void } {
  const [job, { mutate, refetch }] = createResource(id, loadJob);
  onJobFrame((f) => {
    const j = settled(job);
    if (!j || f.id !== j.id) return;
    if (f.status !== j.status) void refetch();
    mutate({ ...j, status: f.status, counts: f.counts });
  });
  onJobsResync(() => void refetch());
  return { job, set: (j) => mutate(j) };
}
