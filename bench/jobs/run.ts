import type { Options } from '../options';
import { beginRun, connectAll, finishRun, onTarget } from '../scenario-run';
import { Api } from '../sim/api';
import { SimAgent } from '../sim/agent';
import { enrollDevices } from '../sim/enroll';
import { sleep } from '../sim/pool';
import { CommandLog, Tally } from '../sim/tally';
import { startMiniflare } from '../targets/miniflare';
import { agentSocketUrl } from '../targets/target';
import { startWrangler } from '../targets/wrangler';
import { measureJob, measureSequential } from './measure';
import type { JobsReport } from './result';

/*
 * The bulk-job scenario (`npm run bench -- --scenario jobs --n 1000`): N simulated agents
 * connected to `wrangler dev` (or miniflare with `--target miniflare`), one job over all of them (concurrency N), timed from the POST
 * to every command delivered, every result stored and the job completed; then, as the
 * yardstick in the same run, N/10 single-device POSTs one after another, scaled to N.
 * Prints figures; never fails a build.
 */

const DEFAULT_N = 1000;
const ONLINE_WAIT_MS = 120_000;
/* The connect wave leaves status reports and D1 writes behind. */
const SETTLE_MS = 5_000;

const ms = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${Math.round(x)} ms`);

async function onlineCount(api: Api): Promise<number> {
  const res = await api.call<{ online?: number }>('POST', '/api/v1/jobs/preview', { target: { all: true } });
  return res.body.online ?? 0;
}

export async function runJobs(o: Options): Promise<number> {
  const n = o.n ?? DEFAULT_N;
  const report: JobsReport = {
    ...beginRun('jobs', o),
    target: 'wrangler',
    n,
    connected: 0,
    job: null,
    sequential: null,
    ratio: null,
    elapsedSeconds: 0,
  };
  // One platform target (the baseline server has no jobs): wrangler unless miniflare is named first.
  const name = o.target.find((t) => t !== 'baseline') ?? 'wrangler';
  report.target = name;
  console.log(`bench: jobs scenario; ${name}; N ${n}; load average ${report.machine.loadAverage.join(' ')}`);
  const agents: SimAgent[] = [];
  const start = () => (name === 'miniflare' ? startMiniflare : startWrangler)({ port: o.port, heartbeatSeconds: o.heartbeat, maxDevices: n, keepState: o['keep-state'] });
  const release = () => {
    for (const a of agents) a.terminate();
  };
  await onTarget(start, report, release, async (target) => {
    const api = new Api(target.url, target.apiToken);
    const enroll = await enrollDevices(target.url, target.enrollKey, 0, n, o['enroll-concurrency'], Date.now() + 30 * 60_000);
    console.log(`  enrolled ${enroll.devices.length}`);
    const tally = new Tally();
    const log = new CommandLog();
    for (const d of enroll.devices) agents.push(new SimAgent(d, agentSocketUrl(target), tally, log));
    const connected = await connectAll(agents, o);
    report.connected = connected.length;
    const deadline = Date.now() + ONLINE_WAIT_MS;
    let online = 0;
    while ((online = await onlineCount(api)) < connected.length && Date.now() < deadline) await sleep(500);
    console.log(`  connected ${connected.length}, ${online} online`);
    await sleep(SETTLE_MS);
    // One job for the whole fleet without waiting for a second person.
    const settings = await api.call('PATCH', '/api/v1/settings/automation', { approvalThreshold: Math.max(n, 1) });
    if (settings.status !== 200) throw new Error(`PATCH /settings/automation: ${settings.status}`);

    const job = await measureJob(api, connected, log, Math.min(1000, connected.length));
    report.job = job;
    console.log(
      `  job over ${job.devices}: POST ${ms(job.postMs)}; delivered p50 ${ms(job.delivered.p50)} max ${ms(job.delivered.max)}; ` +
        `stored p50 ${ms(job.stored.p50)} max ${ms(job.stored.max)}; completed (API) ${ms(job.completedMs)}` +
        `${job.missingDelivered || job.missingStored ? `; missing ${job.missingDelivered} / ${job.missingStored}` : ''}`,
    );
    await sleep(SETTLE_MS);
    const count = Math.max(1, Math.round(connected.length / 10));
    const seq = await measureSequential(api, connected, log, count, connected.length);
    report.sequential = seq;
    console.log(
      `  yardstick: ${seq.devices} single POSTs one after another: ${ms(seq.totalMs)} (POST p50 ${ms(seq.post.p50)}), ` +
        `scaled to ${connected.length}: ${ms(seq.scaledMs)}${seq.failed ? `; ${seq.failed} failed` : ''}`,
    );
    if (job.completedMs) {
      report.ratio = Math.round((seq.scaledMs / job.completedMs) * 10) / 10;
      console.log(`  the job was ${report.ratio}× faster than sending the same commands one by one`);
    }
  });
  finishRun(o, report);
  return 0;
}
