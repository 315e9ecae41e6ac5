import type { SimAgent } from '../sim/agent';
import { sleep } from '../sim/pool';
import { summarize } from '../stats';
import { CPU_BREACH, CPU_CHECK, CPU_CLEAR } from './checks';
import type { DashboardFeed, FeedEntry } from './feed';
import type { TransitionRun } from './result';

/* Far above any goal: a frame later than this counts as missing, not as a latency. */
export const WAIT_MS = 30_000;

export const opened = (e: FeedEntry) => e.t === 'alert' && e.checkKey === CPU_CHECK && e.status === 'open';
const resolved = (e: FeedEntry) => e.t === 'alert' && e.checkKey === CPU_CHECK && e.status === 'resolved';

/**
 * One heartbeat per agent carrying `cpu`, sent `gapMs` apart (0: all in one tick). `watch`
 * is called just before each send (so nothing it waits for can slip past) and its promises
 * of arrival times are turned into latencies from that send; null stays null (missing).
 * The value sticks for the agent's later heartbeats, so nothing else moves the check.
 */
export async function sendWave<K extends string>(
  agents: SimAgent[],
  cpu: number,
  gapMs: number,
  watch: (agent: SimAgent) => Record<K, Promise<number | null>>,
): Promise<Record<K, number | null>[]> {
  const start = performance.now();
  const pending: Promise<Record<K, number | null>>[] = [];
  for (let i = 0; i < agents.length; i++) {
    const wait = start + i * gapMs - performance.now();
    if (wait > 0) await sleep(wait);
    const agent = agents[i]!;
    const seen = watch(agent);
    agent.cpuOverride = () => cpu;
    const sent = agent.beatNow();
    const keys = Object.keys(seen) as K[];
    pending.push(
      Promise.all(keys.map((k) => seen[k].then((at) => (sent === null || at === null ? null : at - sent)))).then(
        (ms) => Object.fromEntries(keys.map((k, j) => [k, ms[j]])) as Record<K, number | null>,
      ),
    );
  }
  return Promise.all(pending);
}

/** Latency summary and missing count of one watched arrival across a wave. */
export function tallyWave<K extends string>(results: Record<K, number | null>[], key: K) {
  const ms = results.map((r) => r[key]).filter((x): x is number => x !== null);
  return { latency: summarize(ms), missing: results.length - ms.length };
}

/** Each latency is the send → the first matching frame for the agent's device on the dashboard. */
async function wave(feed: DashboardFeed, agents: SimAgent[], cpu: number, match: (e: FeedEntry) => boolean, gapMs: number) {
  const results = await sendWave(agents, cpu, gapMs, (a) => ({ frame: feed.waitFor(a.device.deviceId, match, WAIT_MS) }));
  return tallyWave(results, 'frame');
}

/** Clear → resolved for agents that breached: brings them back below the threshold. */
export const clearWave = (feed: DashboardFeed, agents: SimAgent[], gapMs: number) => wave(feed, agents, CPU_CLEAR, resolved, gapMs);

/**
 * Breach → alert and clear → resolved for fresh devices (no alert in the last 15 minutes,
 * so none is taken for flapping). Spread: `perSecond` devices a second, as incidents
 * arrive on a normal day. Burst: all at once, as when one switch takes a floor down.
 */
export async function measureTransitions(feed: DashboardFeed, agents: SimAgent[], mode: TransitionRun['mode'], perSecond: number): Promise<TransitionRun> {
  const gapMs = mode === 'spread' ? 1000 / perSecond : 0;
  const breach = await wave(feed, agents, CPU_BREACH, opened, gapMs);
  // Let the last alerts' D1 writes finish before the clears start.
  await sleep(2000);
  const clear = await clearWave(feed, agents, gapMs);
  for (const a of agents) a.cpuOverride = null; // the synthetic wave stays below the threshold
  return {
    mode,
    devices: agents.length,
    perSecond: mode === 'spread' ? perSecond : null,
    breach: breach.latency,
    clear: clear.latency,
    missingBreach: breach.missing,
    missingClear: clear.missing,
  };
}
