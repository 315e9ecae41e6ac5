import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, resolve } from 'node:path';
import { ROOT } from '../../scripts/lib/platform';
import { stopAll } from '../../scripts/lib/processes';
import { outOf, type Options } from '../options';
import { startBaseline } from '../targets/baseline';
import { startMiniflare } from '../targets/miniflare';
import { startWrangler } from '../targets/wrangler';
import type { Target, TargetName, TargetOptions } from '../targets/target';
import { runScenario } from './scenario';
import { printReport } from './report';
import type { AlertsReport, AlertsTargetResult } from './result';

/*
 * The monitoring scenario (`npm run bench -- --scenario alerts`): one fleet size per target,
 * a check set assigned to the whole tenant, one dashboard on the tenant feed, then the parts
 * asked for: breach → alert latency, breach → ticket and Slack message, TenantHub load with
 * 1 % flapping, offline detection.
 * Prints figures with ratios to the baseline; never fails a build.
 */

/** The fleet the latency goal is stated for (p99 < 500 ms at 1,000 devices). */
const DEFAULT_N = 1000;
const PORT_OFFSET: Record<TargetName, number> = { wrangler: 0, miniflare: 1, baseline: 2 };
const START: Record<TargetName, (opts: TargetOptions) => Promise<Target>> = {
  wrangler: startWrangler,
  miniflare: startMiniflare,
  baseline: startBaseline,
};
/* Rough minutes per target at N = 1,000 with every part: for the printed estimate only. */
const MINUTES_PER_TARGET = { wrangler: 12, miniflare: 11, baseline: 4 } as const;

export async function runAlerts(o: Options): Promise<number> {
  // One fleet size: --n (the largest of a --ramp if one is given).
  const n = o.ramp ? Math.max(...o.ramp) : (o.n ?? DEFAULT_N);
  const chosen = [...new Set(o.target)];
  const names: TargetName[] = o['no-baseline'] || chosen.includes('baseline') ? chosen : [...chosen, 'baseline'];
  const started = Date.now();
  const estimate = names.reduce((s, t) => s + MINUTES_PER_TARGET[t] * Math.max(1, n / DEFAULT_N), 0);
  // A stuck run (a target that never answers) must not hold the machine: stop what we started.
  const watchdog = setTimeout(() => {
    console.error('bench: alerts scenario far over its time, stopping');
    void stopAll().finally(() => process.exit(2));
  }, Math.max(o['budget-minutes'], estimate * 2 + 15) * 60_000);
  watchdog.unref();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void stopAll().finally(() => process.exit(130)));

  console.log(`bench: alerts scenario; targets ${names.join(', ')}; N ${n}; heartbeat ${o.heartbeat} s; parts ${o.parts.join(', ')}`);
  console.log(`bench: roughly ${Math.ceil(estimate)} min`);
  const results: AlertsTargetResult[] = [];
  try {
    for (const name of names) {
      console.log(`bench: starting ${name} on port ${o.port + PORT_OFFSET[name]}…`);
      const target = await START[name]({ port: o.port + PORT_OFFSET[name], heartbeatSeconds: o.heartbeat, maxDevices: n, keepState: o['keep-state'] });
      try {
        results.push(await runScenario(target, n, o));
      } finally {
        await target.close().catch(() => undefined);
      }
    }
  } finally {
    await stopAll();
  }

  const report: AlertsReport = {
    startedAt: new Date(started).toISOString(),
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
    machine: { cpus: cpus().length, memBytes: totalmem(), node: process.version },
    options: { ...o, n, targets: names },
    results,
    elapsedSeconds: Math.round((Date.now() - started) / 1000),
  };
  const out = resolve(ROOT, outOf(o));
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  printReport(report);
  console.log(`\nbench: ${report.elapsedSeconds} s; results in ${outOf(o)}`);
  return 0;
}
