import type { Api } from '../sim/api';
import type { SimAgent } from '../sim/agent';
import { sleep } from '../sim/pool';
import type { CommandLog } from '../sim/tally';
import { summarize } from '../stats';
import type { JobRun, SequentialRun } from './result';

const POLL_GAP_MS = 25;
const JOB_TIMEOUT_MS = 180_000;
const ACTION = { type: 'run_script', params: { interpreter: 'sh', script: 'echo hi' } } as const;

interface JobBody {
  id?: string;
  status?: string;
  counts?: Record<string, number>;
}

/** Times since t0 of the entries that appeared in `times` after `before` was taken. */
function since(times: Map<string, number>, ids: Iterable<string>, t0: number): number[] {
  const out: number[] = [];
  for (const id of ids) {
    const at = times.get(id);
    if (at !== undefined) out.push(at - t0);
  }
  return out;
}

/**
 * One job over every agent: POST /jobs, then GET /jobs/:id until it completed. The agents
 * answer at once, so what is measured is the platform: dispatch, signing, the DeviceHubs,
 * the results' way back and the job's bookkeeping.
 */
export async function measureJob(api: Api, agents: SimAgent[], log: CommandLog, concurrency: number): Promise<JobRun> {
  const before = new Set(log.received.keys());
  const t0 = performance.now();
  const posted = await api.call<JobBody>('POST', '/api/v1/jobs', {
    name: 'bench job',
    action: ACTION,
    target: { deviceIds: agents.map((a) => a.device.deviceId) },
    concurrency,
    ttlSeconds: 600,
  });
  const postMs = performance.now() - t0;
  if (posted.status !== 201 || !posted.body.id) throw new Error(`POST /jobs: ${posted.status} ${JSON.stringify(posted.body).slice(0, 300)}`);
  if (posted.body.status !== 'running') throw new Error(`the job is ${posted.body.status}, not running`);
  let completedMs: number | null = null;
  let last: JobBody = posted.body;
  while (performance.now() - t0 < JOB_TIMEOUT_MS) {
    const got = await api.call<JobBody>('GET', `/api/v1/jobs/${posted.body.id}`);
    if (got.status === 200) last = got.body;
    if (last.status !== 'running') {
      completedMs = performance.now() - t0;
      break;
    }
    await sleep(POLL_GAP_MS);
  }
  const ids = [...log.received.keys()].filter((id) => !before.has(id));
  const delivered = since(log.received, ids, t0);
  const stored = since(log.stored, ids, t0);
  return {
    devices: agents.length,
    concurrency,
    postMs: Math.round(postMs),
    delivered: summarize(delivered),
    stored: summarize(stored),
    completedMs: completedMs === null || last.status !== 'completed' ? null : Math.round(completedMs),
    missingDelivered: agents.length - delivered.length,
    missingStored: agents.length - stored.length,
    finalCounts: last.counts ?? null,
  };
}

/** The yardstick: `count` single-device commands POSTed one after another, until all were stored. */
export async function measureSequential(api: Api, agents: SimAgent[], log: CommandLog, count: number, scaleTo: number): Promise<SequentialRun> {
  const chosen = agents.slice(0, count);
  const ids: string[] = [];
  const posts: number[] = [];
  let failed = 0;
  const t0 = performance.now();
  for (const a of chosen) {
    const t = performance.now();
    const res = await api.call<{ command?: { id: string } }>('POST', `/api/v1/devices/${a.device.deviceId}/commands`, ACTION);
    posts.push(performance.now() - t);
    if (res.status === 202 && res.body.command) ids.push(res.body.command.id);
    else failed++;
  }
  while (ids.some((id) => !log.stored.has(id)) && performance.now() - t0 < JOB_TIMEOUT_MS) await sleep(POLL_GAP_MS);
  // A result never stored counts as arriving now (the figure is then a floor, and `failed` says so).
  const end = performance.now();
  const totalMs = Math.max(0, ...ids.map((id) => log.stored.get(id) ?? end)) - t0;
  return {
    devices: chosen.length,
    totalMs: Math.round(totalMs),
    scaledMs: Math.round((totalMs * scaleTo) / Math.max(1, chosen.length)),
    post: summarize(posts),
    failed: failed + ids.filter((id) => !log.stored.has(id)).length,
  };
}
