import type { CommandStatus } from '../../../protocol/command';
import type { JobCounts, JobTargetStatus } from '../../../protocol/api/jobs';

/*
 * A job target's status is 'pending' until a command is sent, then its command's status.
 * The counts and the device list's filter group them the same way.
 */

export type CountBucket = Exclude<keyof JobCounts, 'total'>;

const BUCKET: Record<JobTargetStatus, CountBucket> = {
  pending: 'pending',
  queued: 'active',
  delivered: 'active',
  running: 'active',
  succeeded: 'succeeded',
  failed: 'failed',
  timed_out: 'failed',
  rejected: 'failed',
  interrupted: 'failed',
  expired: 'skipped',
  cancelled: 'skipped',
};

export const bucketOf = (status: string): CountBucket => BUCKET[status as JobTargetStatus] ?? 'failed';

export const statusesIn = (bucket: CountBucket): JobTargetStatus[] =>
  (Object.keys(BUCKET) as JobTargetStatus[]).filter((s) => BUCKET[s] === bucket);

/** What a retry sends again: runs that ended badly, never ones that were skipped or succeeded. */
export const RETRYABLE: readonly CommandStatus[] = statusesIn('failed') as CommandStatus[];

export const emptyCounts = (): JobCounts => ({ total: 0, pending: 0, active: 0, succeeded: 0, failed: 0, skipped: 0 });

export function countsOf(rows: readonly { status: string; n: number }[]): JobCounts {
  const counts = emptyCounts();
  for (const r of rows) {
    counts[bucketOf(r.status)] += r.n;
    counts.total += r.n;
  }
  return counts;
}
