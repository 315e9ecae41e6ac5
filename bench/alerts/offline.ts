import type { SimAgent } from '../sim/agent';
import { summarize } from '../stats';
import { offlineAfterMs } from '../../protocol/limits';
import { OFFLINE_CHECK } from './checks';
import type { DashboardFeed, FeedEntry } from './feed';
import type { OfflineRun } from './result';

/* The hub's watchdog (protocol/limits.ts); a minute more covers a slow alarm before
   a device counts as missed. */
const watchdogMs = offlineAfterMs;
const SLACK_MS = 60_000;

const offline = (e: FeedEntry) => e.t === 'device' && e.status === 'offline';
const offlineAlert = (e: FeedEntry) => e.t === 'alert' && e.checkKey === OFFLINE_CHECK && e.status === 'open';

/**
 * Drops every agent in `agents` at the same moment (a site losing its uplink) and measures
 * how long the dashboard takes to show each one offline, and to get its offline alert.
 * `alerts` false: the target has no checks (the baseline), so only the status is awaited.
 */
export async function measureOffline(
  feed: DashboardFeed,
  agents: SimAgent[],
  mode: OfflineRun['mode'],
  heartbeatSeconds: number,
  alerts: boolean,
): Promise<OfflineRun> {
  const timeout = watchdogMs(heartbeatSeconds) + SLACK_MS;
  const runs = agents.map((agent) => {
    const id = agent.device.deviceId;
    const status = feed.waitFor(id, offline, timeout);
    const alert = alerts ? feed.waitFor(id, offlineAlert, timeout) : Promise.resolve(null);
    const lastBeat = agent.lastBeatAt;
    const at = performance.now();
    agent.sever(mode);
    return Promise.all([status, alert]).then(([s, a]) => ({
      status: s === null ? null : s - at,
      sinceLastBeat: s === null ? null : s - lastBeat,
      alert: a === null ? null : a - at,
    }));
  });
  const got = await Promise.all(runs);
  const pick = (k: 'status' | 'sinceLastBeat' | 'alert') => got.map((g) => g[k]).filter((x): x is number => x !== null);
  return {
    mode,
    devices: agents.length,
    heartbeatSeconds,
    status: summarize(pick('status')),
    sinceLastBeat: summarize(pick('sinceLastBeat')),
    alert: summarize(pick('alert')),
    missingStatus: got.filter((g) => g.status === null).length,
    missingAlert: alerts ? got.filter((g) => g.alert === null).length : 0,
  };
}
