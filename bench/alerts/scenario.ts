import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Options } from '../options';
import { ProcWatch } from '../procs';
import { Api } from '../sim/api';
import { SimAgent } from '../sim/agent';
import { enrollDevices } from '../sim/enroll';
import { forEachLimited, sleep } from '../sim/pool';
import { CommandLog, Tally } from '../sim/tally';
import { summarize } from '../stats';
import { agentSocketUrl, type Target } from '../targets/target';
import { assignChecks } from './checks';
import { DashboardFeed } from './feed';
import { extrapolate, hubWindow } from './flapping';
import { measureDesk, setupDesk, teardownDesk, type Desk } from './desk';
import { measureTransitions } from './latency';
import { measureOffline } from './offline';
import type { AlertsTargetResult, HubWindow } from './result';

/** Spread incidents: 200 devices at 5 a second; the burst: 100 others at once. */
const SPREAD = { devices: 200, perSecond: 5 };
const BURST_DEVICES = 100;
/** Agents dropped per offline mode. */
const OFFLINE_DEVICES = 25;
const FLAP_SHARE = 0.01;
const WINDOW_SECONDS = 60;
/* The connect wave and the recompile leave work behind (status reports, D1 writes). */
const SETTLE_MS = 15_000;

/** Devices spread over the fleet (a fixed scramble of enrolment order), in disjoint groups. */
function groups(agents: SimAgent[], n: number) {
  const order = [...agents].sort((a, b) => ((a.device.index * 2654435761) >>> 0) - ((b.device.index * 2654435761) >>> 0));
  let next = 0;
  const take = (k: number) => order.slice(next, (next += Math.max(0, Math.min(k, order.length - next))));
  return {
    spread: take(Math.min(SPREAD.devices, Math.floor(n / 5))),
    burst: take(Math.min(BURST_DEVICES, Math.floor(n / 10))),
    flap: take(Math.max(1, Math.round(n * FLAP_SHARE))),
    reset: take(Math.min(OFFLINE_DEVICES, Math.floor(n / 20))),
    silent: take(Math.min(OFFLINE_DEVICES, Math.floor(n / 20))),
    // Last, so the other groups are the devices they were before the desk part existed.
    deskSpread: take(Math.min(SPREAD.devices, Math.floor(n / 5))),
    deskBurst: take(Math.min(BURST_DEVICES, Math.floor(n / 10))),
  };
}

/** Everything the scenario does against one target; what went wrong is recorded, not thrown. */
export async function runScenario(target: Target, n: number, o: Options): Promise<AlertsTargetResult> {
  const real = target.name !== 'baseline';
  const tally = new Tally();
  const api = new Api(target.url, target.apiToken);
  const watch = new ProcWatch(() => target.processes(), (p) => target.isRuntime(p));
  const loop = monitorEventLoopDelay({ resolution: 10 });
  const result: AlertsTargetResult = {
    target: target.name,
    n,
    heartbeatSeconds: o.heartbeat,
    enroll: { devices: 0, elapsedMs: 0, perSecond: 0, failed: 0 },
    connect: { ok: 0, failed: 0, elapsedMs: 0, perSecond: 0 },
    latency: [],
    flap: [],
    offline: [],
    desk: [],
    fleet: { hbRtt: summarize([]), hbByPhase: {}, hbSent: 0, hbAcked: 0, drops: 0, invalidFrames: 0 },
    feed: { frames: {}, invalid: 0, invalidSamples: [], closedWith: null },
    runtime: { peakRssBytes: 0, endRssBytes: 0, phases: [], runtimeRestarts: 0, processes: [], simulatorCpuSeconds: 0 },
    simulatorLoopDelayP99Ms: 0,
  };
  /* Where each phase's heartbeat round trips start in the tally, for a per-phase figure. */
  const phaseStarts: [string, number][] = [];
  const mark = (phase: string) => {
    watch.mark(phase);
    phaseStarts.push([phase, tally.hbRtt.length]);
  };
  let agents: SimAgent[] = [];
  let feed: DashboardFeed | null = null;
  const log = (line: string) => console.log(`  ${target.name.padEnd(9)} ${line}`);
  try {
    const enroll = await enrollDevices(target.url, target.enrollKey, 0, n, o['enroll-concurrency'], Date.now() + 30 * 60_000);
    const enrollFailed = [...enroll.failures.values()].reduce((a, b) => a + b, 0);
    const perSecond = Math.round((enroll.devices.length / enroll.elapsedMs) * 10_000) / 10;
    result.enroll = { devices: enroll.devices.length, elapsedMs: Math.round(enroll.elapsedMs), perSecond, failed: enrollFailed };
    log(`enrolled ${enroll.devices.length} at ${perSecond}/s${enrollFailed ? ` (${enrollFailed} failed)` : ''}`);

    watch.start('connect');
    phaseStarts.push(['connect', 0]);
    loop.enable();
    agents = enroll.devices.map((d) => new SimAgent(d, agentSocketUrl(target), tally, new CommandLog()));
    const connected: SimAgent[] = [];
    const t0 = performance.now();
    await forEachLimited(agents, o['connect-concurrency'], async (a) => {
      await a.connect(o['connect-timeout'] * 1000).then(
        () => connected.push(a),
        () => result.connect.failed++,
      );
    });
    const elapsed = performance.now() - t0;
    result.connect = { ok: connected.length, failed: result.connect.failed, elapsedMs: Math.round(elapsed), perSecond: Math.round((connected.length / elapsed) * 10_000) / 10 };
    log(`connected ${connected.length} at ${result.connect.perSecond}/s${result.connect.failed ? ` (${result.connect.failed} failed)` : ''}`);

    feed = await DashboardFeed.open(target.url, target.sessionCookie);
    const g = groups(connected, connected.length);
    if (real) {
      mark('checks');
      const used = [...g.spread, ...g.burst, ...g.flap, ...g.reset, ...g.silent, ...g.deskSpread, ...g.deskBurst].map((a) => a.device.deviceId);
      result.checks = await assignChecks(api, used);
      const c = result.checks;
      log(`check set assigned: ${c.recompile.devices} devices${c.recompile.deferred ? ' (deferred)' : ''}; ${c.verified} checked held it after ${(c.readyMs / 1000).toFixed(1)} s${c.notReady ? `, ${c.notReady} never did` : ''}`);
    }
    await sleep(real ? SETTLE_MS : 2000);

    for (const part of o.parts) {
      // The baseline has no TenantHub to count calls of, and no tickets or integrations.
      if ((part === 'flap' || part === 'desk') && !real) continue;
      mark(part);
      if (part === 'latency') {
        for (const [mode, group] of [['spread', g.spread], ['burst', g.burst]] as const) {
          if (!group.length) continue;
          const r = await measureTransitions(feed, group, mode, SPREAD.perSecond);
          result.latency.push(r);
          log(`${mode}: breach → alert ${r.breach.p50} / ${r.breach.p99} ms, clear → resolved ${r.clear.p50} / ${r.clear.p99} ms (p50 / p99; missing ${r.missingBreach} / ${r.missingClear})`);
        }
      } else if (part === 'desk') {
        const desk: Desk = await setupDesk(api);
        try {
          for (const [mode, group] of [['spread', g.deskSpread], ['burst', g.deskBurst]] as const) {
            if (!group.length) continue;
            const r = await measureDesk(api, feed, desk, group, mode, SPREAD.perSecond);
            result.desk.push(r);
            log(
              `desk ${mode}: breach → ticket ${r.ticket.p50} / ${r.ticket.p99} ms, → Slack ${r.slack.p50} / ${r.slack.p99} ms (p50 / p99; missing ${r.missingTicket} / ${r.missingSlack}; ${r.ticketRows} rows listed)`,
            );
          }
        } finally {
          await teardownDesk(api, desk);
        }
      } else if (part === 'flap') {
        const windows: HubWindow[] = [];
        for (const [label, group] of [['steady (0 % flapping)', []], [`${g.flap.length} flapping (${FLAP_SHARE * 100} %)`, g.flap]] as const) {
          const w = await hubWindow(api, feed, label, [...group], WINDOW_SECONDS);
          windows.push(w);
          log(`${label}: ${w.callsPerSecond} calls/s, ${w.transitionsPerSecond} transitions/s, ${w.alertFramesPerSecond} alert frames/s`);
        }
        result.flap = windows;
        result.extrapolation = extrapolate(windows[0]!, windows[1]!, connected.length, o.heartbeat);
      } else if (part === 'offline') {
        // The baseline has no watchdog: a silent loss would never show there.
        const modes = real ? (['reset', 'silent'] as const) : (['reset'] as const);
        const runs = await Promise.all(modes.map((m) => measureOffline(feed!, m === 'reset' ? g.reset : g.silent, m, o.heartbeat, real)));
        result.offline = runs;
        for (const r of runs) log(`offline (${r.mode}): ${ms(r.status.p50)} / ${ms(r.status.p99)} / ${ms(r.status.max)} s (p50 / p99 / max; missing ${r.missingStatus})`);
      }
    }
  } catch (err) {
    result.error = err instanceof Error ? err.message : String(err);
    console.error(`  ${target.name}: ${result.error}`);
  }
  result.runtime = watch.stop();
  loop.disable();
  const hbByPhase = Object.fromEntries(phaseStarts.map(([phase, from], i) => [phase, summarize(tally.hbRtt.slice(from, phaseStarts[i + 1]?.[1]))]));
  result.fleet = { hbRtt: summarize(tally.hbRtt), hbByPhase, hbSent: tally.hbSent, hbAcked: tally.hbAcked, drops: tally.drops, invalidFrames: tally.invalidFrames };
  if (feed) {
    const frames: Record<string, number> = {};
    // By kind and status: late `online` reports and `offline` drops tell different stories.
    for (const e of feed.log) {
      const key = e.status ? `${e.t}:${e.status}` : e.t;
      frames[key] = (frames[key] ?? 0) + 1;
    }
    result.feed = { frames, invalid: feed.invalid, invalidSamples: feed.invalidSamples, closedWith: feed.closedWith };
    feed.close();
  }
  if (result.error || result.runtime.runtimeRestarts) result.serverLogTail = target.recentOutput().split('\n').slice(-40).join('\n').slice(-6000);
  result.simulatorLoopDelayP99Ms = Math.round(loop.percentile(99) / 1e4) / 100;
  for (const a of agents) a.close();
  const end = Date.now() + 10_000;
  while (Date.now() < end && agents.some((a) => a.open)) await sleep(100);
  for (const a of agents) a.terminate();
  return result;
}

const ms = (x: number | null) => (x === null ? '—' : (x / 1000).toFixed(1));
