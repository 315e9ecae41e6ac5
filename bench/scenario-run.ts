import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, resolve } from 'node:path';
import { ROOT } from '../scripts/lib/platform';
import { stopAll } from '../scripts/lib/processes';
import { outOf, type Options } from './options';
import { forEachLimited } from './sim/pool';
import type { Target } from './targets/target';

/*
 * The frame of a one-target scenario (jobs, inventory): a watchdog, the report's opening
 * fields, the target's life with its error kept in the report, and the report written out.
 */

/** What every such report opens with. */
export interface RunHead {
  startedAt: string;
  command: string;
  machine: { cpus: number; memBytes: number; node: string; loadAverage: number[] };
}

/** Arms the watchdog and the signal handlers (a stuck run must not hold the machine) and dates the run. */
export function beginRun(scenario: string, o: Options): RunHead {
  const started = Date.now();
  const watchdog = setTimeout(() => {
    console.error(`bench: ${scenario} scenario far over its time, stopping`);
    void stopAll().finally(() => process.exit(2));
  }, o['budget-minutes'] * 60_000 * 2);
  watchdog.unref();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void stopAll().finally(() => process.exit(130)));
  return {
    startedAt: new Date(started).toISOString(),
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
    machine: { cpus: cpus().length, memBytes: totalmem(), node: process.version, loadAverage: loadavg().map((x) => Math.round(x * 100) / 100) },
  };
}

/**
 * Starts the target and runs the scenario on it. A failure inside is kept in the report with
 * the target's last output; `release` then closes the agents before the target goes.
 */
export async function onTarget<T extends Target>(start: () => Promise<T>, report: { error?: string }, release: () => void, run: (target: T) => Promise<void>): Promise<void> {
  try {
    const target = await start();
    try {
      await run(target);
    } catch (err) {
      // fetch() says only "fetch failed"; the reason (refused, reset, timeout) is its cause.
      const cause = err instanceof Error && err.cause instanceof Error ? ` (${err.cause.message})` : '';
      report.error = err instanceof Error ? `${err.message}${cause}\n${err.stack?.split('\n').slice(1, 4).join('\n') ?? ''}` : String(err);
      console.error(`  error: ${report.error}\n${target.recentOutput().split('\n').slice(-20).join('\n')}`);
    } finally {
      release();
      await target.close().catch(() => undefined);
    }
  } finally {
    await stopAll();
  }
}

/** Connects every agent (bounded concurrency); the ones that connected, in the order they did. */
export async function connectAll<A extends { connect(timeoutMs: number): Promise<unknown> }>(agents: A[], o: Options): Promise<A[]> {
  const connected: A[] = [];
  await forEachLimited(agents, o['connect-concurrency'], (a) => a.connect(o['connect-timeout'] * 1000).then(() => void connected.push(a), () => undefined));
  return connected;
}

/** Writes the report where --out (or the scenario's default) says, with the run's length. */
export function finishRun(o: Options, report: RunHead & { elapsedSeconds: number }): void {
  report.elapsedSeconds = Math.round((Date.now() - Date.parse(report.startedAt)) / 1000);
  const out = resolve(ROOT, outOf(o));
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nbench: ${report.elapsedSeconds} s; results in ${outOf(o)}`);
}
