import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
import { createPackage, createVersion, uploadFile, writeRandomFile } from './catalog';
import { measureDeploy } from './measure';
import type { DeployReport, DeployRun } from './result';

/*
 * The deployment scenario (`npm run bench -- --scenario deploy --n 1000`): N simulated agents,
 * then, one after another to all of them: the plain script job (the yardstick, as in the jobs
 * scenario), a repository package (apt, nothing to download), an uploaded .deb every device
 * downloads and hashes, and that .deb again behind a canary ring (1 %, no wait, gate 100 %).
 * Each is timed from the POST to every command delivered, every final step stored and the
 * job completed. Prints figures; never fails a build.
 */

const DEFAULT_N = 1000;
const ONLINE_WAIT_MS = 120_000;
/* The connect wave (and each job) leaves status reports and D1 writes behind. */
const SETTLE_MS = 5_000;
const DEB_BYTES = 64 * 1024;

const ms = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${Math.round(x)} ms`);

async function onlineCount(api: Api): Promise<number> {
  const res = await api.call<{ online?: number }>('POST', '/api/v1/jobs/preview', { target: { all: true } });
  return res.body.online ?? 0;
}

function line(r: DeployRun, baseline: DeployRun | null): string {
  const ratio = baseline?.completedMs && r.completedMs ? ` (${Math.round((r.completedMs / baseline.completedMs) * 10) / 10}× the script job)` : '';
  const canary = r.canary ? `; canary ${r.canary.devices}, gate ${r.canary.gate ?? '—'} at ${r.canary.canaryRate ?? '—'} %, rest opened ${ms(r.canary.restOpenedMs)}` : '';
  const missing = r.missingDelivered || r.missingStored ? `; missing ${r.missingDelivered} delivered / ${r.missingStored} stored` : '';
  return (
    `  ${r.label.padEnd(10)} over ${r.devices}: POST ${ms(r.postMs)}; delivered p50 ${ms(r.delivered.p50)} max ${ms(r.delivered.max)}; ` +
    `final step stored p50 ${ms(r.stored.p50)} max ${ms(r.stored.max)}; completed (API) ${ms(r.completedMs)}${ratio}${canary}${missing}; ` +
    `steps ${JSON.stringify(r.steps)}`
  );
}

export async function runDeploy(o: Options): Promise<number> {
  const n = o.n ?? DEFAULT_N;
  const name = o.target.find((t) => t !== 'baseline') ?? 'wrangler';
  const report: DeployReport = { ...beginRun('deploy', o), target: name, n, connected: 0, debBytes: DEB_BYTES, baseline: null, runs: [], ratios: {}, elapsedSeconds: 0 };
  console.log(`bench: deploy scenario; ${name}; N ${n}; load average ${report.machine.loadAverage.join(' ')}`);
  const agents: SimAgent[] = [];
  const scratch = mkdtempSync(join(tmpdir(), 'tether-bench-deploy-'));
  const start = () => (name === 'miniflare' ? startMiniflare : startWrangler)({ port: o.port, heartbeatSeconds: o.heartbeat, maxDevices: n, keepState: o['keep-state'] });
  const release = () => {
    for (const a of agents) a.terminate();
  };
  try {
    await onTarget(start, report, release, async (target) => {
      const api = new Api(target.url, target.apiToken);
      const enroll = await enrollDevices(target.url, target.enrollKey, 0, n, o['enroll-concurrency'], Date.now() + 30 * 60_000);
      console.log(`  enrolled ${enroll.devices.length}`);
      const log = new CommandLog();
      for (const d of enroll.devices) agents.push(new SimAgent(d, agentSocketUrl(target), new Tally(), log));
      const connected = await connectAll(agents, o);
      report.connected = connected.length;
      const deadline = Date.now() + ONLINE_WAIT_MS;
      let online = 0;
      while ((online = await onlineCount(api)) < connected.length && Date.now() < deadline) await sleep(500);
      console.log(`  connected ${connected.length}, ${online} online`);
      const settings = await api.call('PATCH', '/api/v1/settings/automation', { approvalThreshold: Math.max(n, 1) });
      if (settings.status !== 200) throw new Error(`PATCH /settings/automation: ${settings.status}`);

      // The catalog: one package installed by name, one uploaded file in two versions (one per run).
      const apt = await createPackage(api, { name: 'htop', installer: 'apt', platform: 'linux' });
      const aptVersion = await createVersion(api, apt.id, { version: '3.2.2', repoName: 'htop' });
      const deb = await createPackage(api, { name: 'bench-tool', installer: 'deb', platform: 'linux' });
      const debVersions: string[] = [];
      for (const version of ['1.0.0', '1.0.1']) {
        const file = join(scratch, `bench-tool_${version}_all.deb`);
        await writeRandomFile(file, DEB_BYTES);
        const created = await createVersion(api, deb.id, { version, fileName: `bench-tool_${version}_all.deb`, size: DEB_BYTES });
        debVersions.push((await uploadFile(api, deb.id, created, file, DEB_BYTES)).version.id);
      }
      console.log(`  catalog: apt htop ${aptVersion.status}; deb bench-tool ×2 uploaded (${DEB_BYTES} bytes each)`);
      await sleep(SETTLE_MS);

      const concurrency = Math.min(1000, connected.length);
      const plan = [
        { label: 'script', action: { type: 'run_script', params: { interpreter: 'sh', script: 'echo hi' } } },
        { label: 'apt', action: { type: 'deploy', versionId: aptVersion.id } },
        { label: 'deb', action: { type: 'deploy', versionId: debVersions[0]! } },
        { label: 'deb-rings', action: { type: 'deploy', versionId: debVersions[1]! }, rings: { percent: 1, waitMinutes: 0, gatePercent: 100 } },
      ] as const;
      for (const step of plan) {
        const r = await measureDeploy(api, connected, log, { ...step, concurrency });
        if (step.label === 'script') report.baseline = r;
        else {
          report.runs.push(r);
          report.ratios[r.label] = report.baseline?.completedMs && r.completedMs ? Math.round((r.completedMs / report.baseline.completedMs) * 100) / 100 : null;
        }
        console.log(line(r, step.label === 'script' ? null : report.baseline));
        await sleep(SETTLE_MS);
      }
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  finishRun(o, report);
  return 0;
}
