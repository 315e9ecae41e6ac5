import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ROOT } from '../scripts/lib/platform';
import { Api } from './sim/api';
import { SimAgent, type Device } from './sim/agent';
import { sampleCommands } from './sim/commands';
import { forEachLimited, sleep } from './sim/pool';
import { CommandLog, Tally } from './sim/tally';
import { ProcWatch } from './procs';
import { summarize } from './stats';
import { agentSocketUrl, type Target } from './targets/target';
import type { StepResult } from './result';

export interface StepConfig {
  durationSeconds: number;
  commands: number;
  connectConcurrency: number;
  /** Per socket: upgrade + welcome. */
  connectTimeoutMs: number;
  /** The whole connect phase; sockets not started by then count as failed. */
  connectPhaseMs: number;
  /** Called as each phase begins (connect, steady, drain); the profiler hooks in here. */
  onPhase?: (phase: 'connect' | 'steady' | 'drain') => Promise<void>;
}

/* Once this share of a step's sockets failed, the step has failed: stop opening more. */
const GIVE_UP_SHARE = 0.02;
const DRAIN_MS = 10_000;
const CLOSE_MS = 10_000;
const SETTLE_MAX_MS = 60_000;

/**
 * One measurement: `devices.length` agents connect, heartbeat for the duration while
 * commands are sampled, then everything outstanding gets a short grace before it counts as
 * lost. The sockets are closed again at the end so the next step starts from none.
 */
export async function runStep(target: Target, devices: Device[], cfg: StepConfig): Promise<StepResult> {
  const tally = new Tally();
  const log = new CommandLog();
  const agents = devices.map((d) => new SimAgent(d, agentSocketUrl(target), tally, log));
  const watch = new ProcWatch(() => target.processes(), (p) => target.isRuntime(p));
  const loop = monitorEventLoopDelay({ resolution: 10 });
  await cfg.onPhase?.('connect');
  watch.start('connect');
  loop.enable();

  // Connect
  const connected: SimAgent[] = [];
  const connectMs: number[] = [];
  const failures = new Map<string, number>();
  const fail = (why: string) => failures.set(why, (failures.get(why) ?? 0) + 1);
  const t0 = performance.now();
  const phaseEnd = Date.now() + cfg.connectPhaseMs;
  let failed = 0;
  await forEachLimited(agents, cfg.connectConcurrency, async (agent) => {
    if (Date.now() > phaseEnd) return void (failed++, fail('connect phase over time'));
    if (failed > Math.max(20, agents.length * GIVE_UP_SHARE)) return void (failed++, fail('not tried: step already failed'));
    try {
      connectMs.push(await agent.connect(cfg.connectTimeoutMs));
      connected.push(agent);
    } catch (err) {
      failed++;
      fail(err instanceof Error ? err.message : String(err));
    }
  });
  const connectElapsed = performance.now() - t0;

  // Steady state, with command round trips spread over most of it
  await cfg.onPhase?.('steady');
  watch.mark('steady');
  const steadyStart = Date.now();
  const api = new Api(target.url, target.apiToken);
  const samples = await sampleCommands(api, connected, cfg.commands, cfg.durationSeconds * 800, log, steadyStart + cfg.durationSeconds * 1000 + 30_000);
  const rest = steadyStart + cfg.durationSeconds * 1000 - Date.now();
  if (rest > 0) await sleep(rest);

  // Drain: no new frames; whatever is still unanswered after the grace is lost
  await cfg.onPhase?.('drain');
  watch.mark('drain');
  for (const a of agents) a.quiesce();
  const drainEnd = Date.now() + DRAIN_MS;
  while (Date.now() < drainEnd && (agents.some((a) => a.unacked > 0) || tally.pongs < tally.pingsSent)) await sleep(100);
  const runtime = watch.stop();
  loop.disable();

  for (const a of agents) a.close();
  const closeEnd = Date.now() + CLOSE_MS;
  while (Date.now() < closeEnd && agents.some((a) => a.open)) await sleep(100);
  for (const a of agents) a.terminate();
  await settle(target);

  const ok = samples.filter((s) => s.ok);
  const values = (pick: (s: (typeof ok)[number]) => number | null) => ok.map(pick).filter((x): x is number => x !== null);
  const commandErrors = new Map<string, number>();
  for (const s of samples) if (!s.ok) commandErrors.set(s.error ?? '?', (commandErrors.get(s.error ?? '?') ?? 0) + 1);
  const hbLost = tally.hbSent - tally.hbAcked;
  const result: StepResult = {
    target: target.name,
    n: devices.length,
    connect: {
      ok: connected.length,
      failed,
      failures: Object.fromEntries(failures),
      elapsedMs: Math.round(connectElapsed),
      perSecond: Math.round((connected.length / connectElapsed) * 1000 * 10) / 10,
      latency: summarize(connectMs),
    },
    heartbeats: { sent: tally.hbSent, acked: tally.hbAcked, lost: hbLost, rtt: summarize(tally.hbRtt) },
    pings: { sent: tally.pingsSent, unanswered: tally.pingsSent - tally.pongs },
    drops: tally.drops,
    dropReasons: Object.fromEntries(tally.dropReasons),
    invalidFrames: tally.invalidFrames,
    invalidSamples: tally.invalidSamples,
    commands: {
      asked: cfg.commands,
      run: samples.length,
      failed: samples.length - ok.length,
      errors: Object.fromEntries(commandErrors),
      roundTrip: summarize(values((s) => s.visibleMs)),
      post: summarize(values((s) => s.postMs)),
      delivered: summarize(values((s) => s.deliveredMs)),
      stored: summarize(values((s) => s.storedMs)),
    },
    runtime,
    simulatorLoopDelayP99Ms: Math.round(loop.percentile(99) / 1e4) / 100,
    zeroLoss: false,
  };
  result.zeroLoss =
    failed === 0 &&
    hbLost === 0 &&
    result.pings.unanswered === 0 &&
    tally.drops === 0 &&
    tally.invalidFrames === 0 &&
    result.commands.failed === 0 &&
    samples.length === cfg.commands &&
    runtime.runtimeRestarts === 0;
  if (!result.zeroLoss) result.serverLogTail = logTail(target.recentOutput());
  return result;
}

/* Closing thousands of sockets leaves the server busy (offline reports, D1 writes); the next
   step should not start inside that wave. Waits until the target's CPU is nearly idle. */
async function settle(target: Target): Promise<void> {
  const end = Date.now() + SETTLE_MAX_MS;
  const cpu = () => target.processes().reduce((s, p) => s + p.cpuSeconds, 0);
  let before = cpu();
  while (Date.now() < end) {
    await sleep(2000);
    const now = cpu();
    if (now - before < 0.2) return;
    before = now;
  }
}

/* A crash prints a stack of raw addresses on one huge line: keep the lines, not the bytes. */
function logTail(text: string): string {
  return text
    .replaceAll(ROOT, '.')
    .split('\n')
    .filter((line) => line.trim())
    .slice(-60)
    .map((line) => (line.length > 400 ? `${line.slice(0, 400)}…` : line))
    .join('\n');
}
