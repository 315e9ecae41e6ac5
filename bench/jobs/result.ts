import * as v from 'valibot';
import { Summary } from '../result';

/*
 * The shape of bench/results/jobs-*.json (the bulk-job scenario). Times in ms from the
 * moment the request was sent.
 */

export const JobRun = v.object({
  devices: v.number(),
  concurrency: v.number(),
  /** POST /jobs answered (201). */
  postMs: v.number(),
  /** Each simulated agent received its `cmd` frame. */
  delivered: Summary,
  /** The server acknowledged each agent's `done` frame (the DeviceHub stored it). */
  stored: Summary,
  /** GET /jobs/:id first showed every device succeeded and the job completed. */
  completedMs: v.nullable(v.number()),
  missingDelivered: v.number(),
  missingStored: v.number(),
  finalCounts: v.nullable(v.record(v.string(), v.number())),
});
export type JobRun = v.InferOutput<typeof JobRun>;

/** The same work without a job: single-device POSTs, one after another from the client. */
export const SequentialRun = v.object({
  devices: v.number(),
  /** From the first POST until every result was stored. */
  totalMs: v.number(),
  /** That figure scaled to the job's device count. */
  scaledMs: v.number(),
  post: Summary,
  failed: v.number(),
});
export type SequentialRun = v.InferOutput<typeof SequentialRun>;

export const JobsReport = v.object({
  startedAt: v.string(),
  command: v.string(),
  machine: v.object({ cpus: v.number(), memBytes: v.number(), node: v.string(), loadAverage: v.array(v.number()) }),
  target: v.picklist(['wrangler', 'miniflare']),
  n: v.number(),
  connected: v.number(),
  job: v.nullable(JobRun),
  sequential: v.nullable(SequentialRun),
  /** sequential.scaledMs / job.completedMs: how many times faster the job was. */
  ratio: v.nullable(v.number()),
  error: v.optional(v.string()),
  elapsedSeconds: v.number(),
});
export type JobsReport = v.InferOutput<typeof JobsReport>;
