import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, resolve } from 'node:path';
import { ROOT } from '../scripts/lib/platform';
import { stopAll } from '../scripts/lib/processes';
import { outOf, readOptions, sizesOf } from './options';
import { runSeconds, stepSeconds } from './plan';
import { cpuBreakdown, stepLine, table, verdictLines } from './report';
import type { Report, StepResult } from './result';
import type { Device } from './sim/agent';
import { enrollDevices } from './sim/enroll';
import { runStep } from './step';
import { startBaseline } from './targets/baseline';
import { startMiniflare } from './targets/miniflare';
import type { Target, TargetName, TargetOptions } from './targets/target';
import { startWrangler } from './targets/wrangler';

/*
 * Fleet benchmark: N simulated agents against a fresh local platform, climbing a ramp of
 * fleet sizes until one loses something, with a plain Node `ws` server as the yardstick.
 * It prints figures; it never fails a build.
 */

const o = readOptions(process.argv.slice(2));
if (o.scenario === 'alerts') {
  // The monitoring scenario has its own flow and report; the ramp below stays as it was.
  const { runAlerts } = await import('./alerts/run');
  process.exit(await runAlerts(o));
}
if (o.scenario === 'jobs') {
  const { runJobs } = await import('./jobs/run');
  process.exit(await runJobs(o));
}
if (o.scenario === 'inventory') {
  const { runInventory } = await import('./inventory/run');
  process.exit(await runInventory(o));
}
if (o.scenario === 'deploy') {
  const { runDeploy } = await import('./deploy/run');
  process.exit(await runDeploy(o));
}
if (o.scenario === 'download') {
  const { runDownload } = await import('./download/run');
  process.exit(await runDownload(o));
}
const sizes = sizesOf(o);
const chosen = [...new Set(o.target)];
const names: TargetName[] = o['no-baseline'] || chosen.includes('baseline') ? chosen : [...chosen, 'baseline'];
const started = Date.now();
const budgetMs = o['budget-minutes'] * 60_000;
const PORT_OFFSET: Record<TargetName, number> = { wrangler: 0, miniflare: 1, baseline: 2 };
const START: Record<TargetName, (opts: TargetOptions) => Promise<Target>> = {
  wrangler: startWrangler,
  miniflare: startMiniflare,
  baseline: startBaseline,
};

// A run that overstays its budget by far is stuck: stop everything we started and leave.
const watchdog = setTimeout(() => {
  console.error('bench: far over its time budget, stopping');
  void stopAll().finally(() => process.exit(2));
}, budgetMs * 1.5 + 5 * 60_000);
watchdog.unref();
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void stopAll().finally(() => process.exit(130)));

const estimate = runSeconds(names, sizes, o.duration);
console.log(
  `bench: targets ${names.join(', ')}; N ${sizes.join(' → ')}; ${o.duration} s steady per step; heartbeat ${o.heartbeat} s; ` +
    `${o.commands} command round trips per step`,
);
console.log(`bench: estimated ${Math.ceil(estimate / 60)} min if every step holds (budget ${o['budget-minutes']} min; steps that would overrun it are skipped)`);

const steps: StepResult[] = [];
const verdicts: Report['verdicts'] = [];
const targets = new Map<TargetName, { target: Target; devices: Device[] }>();
const running: Target[] = [];
const maxDevices = sizes[sizes.length - 1];

try {
  for (const name of names) {
    console.log(`bench: starting ${name} on port ${o.port + PORT_OFFSET[name]}…`);
    const target = await START[name]({ port: o.port + PORT_OFFSET[name], heartbeatSeconds: o.heartbeat, maxDevices, keepState: o['keep-state'] });
    running.push(target);
    targets.set(name, { target, devices: [] });
  }
  const finish = (name: TargetName, stoppedBecause: string) => {
    const held = steps.filter((s) => s.target === name && s.zeroLoss).map((s) => s.n);
    verdicts.push({ target: name, largestZeroLossN: held.length ? Math.max(...held) : null, stoppedBecause });
    targets.delete(name);
  };

  for (const n of sizes) {
    for (const [name, entry] of [...targets]) {
      const need = Math.max(0, n - entry.devices.length);
      const left = budgetMs - (Date.now() - started);
      if (stepSeconds(name, n, need, o.duration) * 1000 > left) {
        finish(name, `time budget: N=${n} would not fit in the ${Math.round(left / 1000)} s left`);
        continue;
      }
      const enroll = await enrollDevices(entry.target.url, entry.target.enrollKey, entry.devices.length, n, o['enroll-concurrency'], started + budgetMs);
      entry.devices.push(...enroll.devices);
      const enrollFailed = [...enroll.failures.values()].reduce((a, b) => a + b, 0);
      if (enrollFailed > 0) {
        finish(name, `enrollment failed at N=${n}: ${JSON.stringify(Object.fromEntries(enroll.failures))}`);
        continue;
      }
      const result = await runStep(entry.target, entry.devices.slice(0, n), {
        durationSeconds: o.duration,
        commands: o.commands,
        connectConcurrency: o['connect-concurrency'],
        connectTimeoutMs: o['connect-timeout'] * 1000,
        connectPhaseMs: Math.max(120_000, (n / o['min-connect-rate']) * 1000),
      });
      if (need > 0) {
        const perSecond = Math.round((enroll.devices.length / enroll.elapsedMs) * 1000 * 10) / 10;
        result.enroll = { devices: enroll.devices.length, elapsedMs: Math.round(enroll.elapsedMs), perSecond, failures: {} };
      }
      steps.push(result);
      console.log(stepLine(result));
      if (!result.zeroLoss) finish(name, `loss at N=${n}`);
    }
    // The baseline alone is not worth climbing further once every real target has stopped.
    if (![...targets.keys()].some((t) => t !== 'baseline') && chosen.some((t) => t !== 'baseline')) break;
  }
  for (const name of [...targets.keys()]) finish(name, 'end of ramp');
} finally {
  for (const target of running) await target.close().catch(() => undefined);
  await stopAll();
}

const report: Report = {
  startedAt: new Date(started).toISOString(),
  command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
  machine: { cpus: cpus().length, memBytes: totalmem(), node: process.version },
  options: { ...o, sizes, targets: names },
  steps,
  verdicts,
  elapsedSeconds: Math.round((Date.now() - started) / 1000),
};
const out = resolve(ROOT, outOf(o));
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);

console.log(`\n${table(steps)}\n\nCPU and memory of the largest step per target:\n${cpuBreakdown(steps)}\n\n${verdictLines(report)}`);
console.log(`\nbench: ${report.elapsedSeconds} s; results in ${outOf(o)}`);
process.exit(0);
