import type { SimAgent } from '../sim/agent';
import { sleep } from '../sim/pool';
import { summarize } from '../stats';
import { CPU_BREACH, CPU_CHECK, CPU_CLEAR } from './checks';
import type { DashboardFeed, FeedEntry } from './feed';
import type { TransitionRun } from './result';

/* Far above any goal: a frame later than this counts as missing, not as a latency. */
const WAIT_MS = 30_000;

const opened = (e: FeedEntry) => e.t === 'alert' && e.checkKey === CPU_CHECK && e.status === 'open';
const resolved = (e: FeedEntry) => e.t === 'alert' && e.checkKey === CPU_CHECK && e.status === 'resolved';

/**
 * One heartbeat per agent carrying `cpu`, sent `gapMs` apart (0: all in one tick); each
 * latency is that send → the first matching frame for the agent's device on the dashboard.
 * The value sticks for the agent's later heartbeats, so nothing else moves the check.
 */
async function wave(feed: DashboardFeed, agents: SimAgent[], cpu: number, match: (e: FeedEntry) => boolean, gapMs: number) {
  const start = performance.now();
  const pending: Promise<number | null>[] = [];
  for (let i = 0; i < agents.length; i++) {
    const wait = start + i * gapMs - performance.now();
    if (wait > 0) await sleep(wait);
    const agent = agents[i]!;
    const seen = feed.waitFor(agent.device.deviceId, match, WAIT_MS);
    agent.cpuOverride = () => cpu;
    const sent = agent.beatNow();
    pending.push(sent === null ? Promise.resolve(null) : seen.then((at) => (at === null ? null : at - sent)));
  }
  const results = await Promise.all(pending);
  const ms = results.filter((x): x is number => x !== null);
  return { latency: summarize(ms), missing: results.length - ms.length };
}

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
  const clear = await wave(feed, agents, CPU_CLEAR, resolved, gapMs);
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
