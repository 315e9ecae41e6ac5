import type * as v from 'valibot';
import type { CommandSpec } from '../../protocol/api/commands';
import type { JobRings } from '../../protocol/api/jobs';
import type { Api } from '../sim/api';
import type { SimAgent } from '../sim/agent';
import { sleep } from '../sim/pool';
import type { CommandLog } from '../sim/tally';
import { summarize } from '../stats';
import type { DeployRun } from './result';

const POLL_GAP_MS = 25;
const JOB_TIMEOUT_MS = 300_000;
const OVER = new Set(['completed', 'halted', 'cancelled', 'expired', 'rejected']);

interface JobBody {
  id?: string;
  status?: string;
  counts?: Record<string, number>;
  ring?: number;
  gate?: string | null;
  canaryRate?: number | null;
}

interface DevicePage {
  items?: { step: string | null; ring: number }[];
  nextCursor?: string | null;
}

const since = (times: Map<string, number>, ids: string[], t0: number) => ids.flatMap((id) => (times.has(id) ? [times.get(id)! - t0] : []));

/** Every device row of the job, counted by step (a script job's rows have none: `none`) and by ring. */
async function stepsOf(api: Api, jobId: string): Promise<{ steps: Record<string, number>; canary: number }> {
  const steps: Record<string, number> = {};
  let canary = 0;
  let cursor: string | null | undefined = null;
  do {
    const res: { status: number; body: DevicePage } = await api.call<DevicePage>('GET', `/api/v1/jobs/${jobId}/devices?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    if (res.status !== 200) throw new Error(`GET /jobs/:id/devices: ${res.status}`);
    for (const d of res.body.items ?? []) {
      const key = d.step ?? 'none';
      steps[key] = (steps[key] ?? 0) + 1;
      if (d.ring === 0) canary++;
    }
    cursor = res.body.nextCursor;
  } while (cursor);
  return { steps, canary };
}

/**
 * One job over every agent with `action`: POST /jobs, then GET /jobs/:id until it is over.
 * The agents answer at once (a file installer's bytes are downloaded and hashed first), so
 * what is measured is the platform: signing, dispatch, the DeviceHubs, the step reports and
 * results on their way back, the rings' gate and the job's bookkeeping.
 */
export async function measureDeploy(
  api: Api,
  agents: SimAgent[],
  log: CommandLog,
  run: { label: string; action: v.InferInput<typeof CommandSpec>; concurrency: number; rings?: v.InferInput<typeof JobRings> },
): Promise<DeployRun> {
  const before = new Set(log.received.keys());
  const t0 = performance.now();
  const posted = await api.call<JobBody>('POST', '/api/v1/jobs', {
    name: `bench ${run.label}`,
    action: run.action,
    target: { deviceIds: agents.map((a) => a.device.deviceId) },
    concurrency: run.concurrency,
    ttlSeconds: 900,
    ...(run.rings ? { rings: run.rings } : {}),
  });
  const postMs = performance.now() - t0;
  if (posted.status !== 201 || !posted.body.id) throw new Error(`POST /jobs (${run.label}): ${posted.status} ${JSON.stringify(posted.body).slice(0, 300)}`);
  if (posted.body.status !== 'running') throw new Error(`the ${run.label} job is ${posted.body.status}, not running`);
  let overMs: number | null = null;
  let restOpenedMs: number | null = null;
  let last: JobBody = posted.body;
  while (performance.now() - t0 < JOB_TIMEOUT_MS) {
    const got = await api.call<JobBody>('GET', `/api/v1/jobs/${posted.body.id}`);
    if (got.status === 200) last = got.body;
    if (restOpenedMs === null && run.rings && last.ring === 1) restOpenedMs = performance.now() - t0;
    if (last.status && OVER.has(last.status)) {
      overMs = performance.now() - t0;
      break;
    }
    await sleep(POLL_GAP_MS);
  }
  const ids = [...log.received.keys()].filter((id) => !before.has(id));
  const delivered = since(log.received, ids, t0);
  const stored = since(log.stored, ids, t0);
  const { steps, canary } = await stepsOf(api, posted.body.id);
  return {
    label: run.label,
    devices: agents.length,
    concurrency: run.concurrency,
    postMs: Math.round(postMs),
    delivered: summarize(delivered),
    stored: summarize(stored),
    completedMs: overMs === null || last.status !== 'completed' ? null : Math.round(overMs),
    missingDelivered: agents.length - delivered.length,
    missingStored: agents.length - stored.length,
    finalCounts: last.counts ?? null,
    canary: run.rings ? { devices: canary, gate: last.gate ?? null, canaryRate: last.canaryRate ?? null, restOpenedMs: restOpenedMs === null ? null : Math.round(restOpenedMs) } : null,
    steps,
  };
}
