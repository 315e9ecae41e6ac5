import * as v from 'valibot';
import { JobRun, JobsReport } from '../jobs/result';

/*
 * The shape of bench/results/deploy-*.json (the deployment scenario). Times in ms from the
 * moment POST /jobs was sent.
 */

export const DeployRun = v.object({
  ...JobRun.entries,
  /** What was deployed: `script` (the yardstick), `apt` (by name) or `deb` (an uploaded file every device downloads). */
  label: v.string(),
  /** Canary ring: devices, and the job's gate as the API last showed it. */
  canary: v.nullable(v.object({ devices: v.number(), gate: v.nullable(v.string()), canaryRate: v.nullable(v.number()), restOpenedMs: v.nullable(v.number()) })),
  /** The per-device steps GET /jobs/:id/devices shows once the job is over. */
  steps: v.record(v.string(), v.number()),
});
export type DeployRun = v.InferOutput<typeof DeployRun>;

export const DeployReport = v.object({
  // When, how, where and against what it ran: as the jobs scenario records it.
  ...v.pick(JobsReport, ['startedAt', 'command', 'machine', 'target', 'n', 'connected']).entries,
  /** The uploaded file every device downloads in the `deb` runs. */
  debBytes: v.number(),
  /** The plain script job to the same devices, first in the run. */
  baseline: v.nullable(DeployRun),
  runs: v.array(DeployRun),
  /** Per run: its completedMs / the baseline's (how many times the plain job's time it took). */
  ratios: v.record(v.string(), v.nullable(v.number())),
  error: v.optional(v.string()),
  elapsedSeconds: v.number(),
});
export type DeployReport = v.InferOutput<typeof DeployReport>;
