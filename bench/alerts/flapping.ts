import type { Api } from '../sim/api';
import type { SimAgent } from '../sim/agent';
import { sleep } from '../sim/pool';
import { CPU_BREACH, CPU_CLEAR, hubStats } from './checks';
import type { DashboardFeed } from './feed';
import type { Extrapolation, HubWindow } from './result';

const COUNTERS = ['deviceStatus', 'checkTransitions', 'transitions', 'commandEvents', 'alertActions'] as const;
type Counts = Record<(typeof COUNTERS)[number], number>;
const rate = (x: number, seconds: number) => Math.round((x / seconds) * 1000) / 1000;
/* The hub's counters live in its memory and start again whenever its instance does (an idle
   hub with only hibernated sockets is evicted after a few seconds locally). Reading them
   this often keeps the instance warm and loses nothing if it restarts anyway. */
const POLL_MS = 2000;

/** Adds up the counters over a window, across any restart of the hub's instance. */
async function countWindow(api: Api, seconds: number): Promise<{ counts: Counts; restarts: number; wall: number }> {
  const counts: Counts = { deviceStatus: 0, checkTransitions: 0, transitions: 0, commandEvents: 0, alertActions: 0 };
  let prev = await hubStats(api);
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  let restarts = 0;
  while (performance.now() < end) {
    await sleep(Math.min(POLL_MS, Math.max(0, end - performance.now())));
    const cur = await hubStats(api);
    const restarted = cur.since !== prev.since;
    if (restarted) restarts++;
    for (const k of COUNTERS) counts[k] += restarted ? cur[k] : cur[k] - prev[k];
    prev = cur;
  }
  return { counts, restarts, wall: (performance.now() - t0) / 1000 };
}

/**
 * The TenantHub's calls over `seconds` while `flapping` agents alternate their CPU above
 * and below the threshold on every heartbeat (starting above) and the rest stay steady.
 * Counters come from the hub itself; alert frames are counted where a dashboard gets them.
 */
export async function hubWindow(api: Api, feed: DashboardFeed, label: string, flapping: SimAgent[], seconds: number): Promise<HubWindow> {
  for (const a of flapping) {
    let beat = 0;
    a.cpuOverride = () => (beat++ % 2 === 0 ? CPU_BREACH : CPU_CLEAR);
  }
  const t0 = performance.now();
  const { counts: c, restarts, wall } = await countWindow(api, seconds);
  const t1 = performance.now();
  for (const a of flapping) a.cpuOverride = null;
  const total = c.deviceStatus + c.checkTransitions + c.commandEvents + c.alertActions;
  const alertFrames = feed.count('alert', t0, t1);
  return {
    label,
    flappingDevices: flapping.length,
    seconds: Math.round(wall * 10) / 10,
    calls: total,
    callsPerSecond: rate(total, wall),
    checkTransitionCalls: c.checkTransitions,
    deviceStatusCalls: c.deviceStatus,
    transitions: c.transitions,
    transitionsPerSecond: rate(c.transitions, wall),
    alertFrames,
    alertFramesPerSecond: rate(alertFrames, wall),
    hubRestarts: restarts,
  };
}

/** The Durable Object soft limit the Cloudflare docs give for one object. */
export const DO_SOFT_LIMIT_PER_S = 1000;

/**
 * Not a measurement: the measured calls per flapping device and per steady device, scaled
 * to `devices` with `share` of them flapping at the same heartbeat.
 */
export function extrapolate(steady: HubWindow, flap: HubWindow, n: number, heartbeatSeconds: number, devices = 10_000, share = 0.01): Extrapolation {
  const perFlapper = flap.flappingDevices ? Math.max(0, flap.callsPerSecond - steady.callsPerSecond) / flap.flappingDevices : 0;
  const perSteady = steady.callsPerSecond / n;
  const flappers = Math.round(devices * share);
  const callsPerSecond = Math.round((flappers * perFlapper + (devices - flappers) * perSteady) * 1000) / 1000;
  return {
    devices,
    flappingDevices: flappers,
    heartbeatSeconds,
    callsPerSecond,
    softLimitPerSecond: DO_SOFT_LIMIT_PER_S,
    basis:
      `${perFlapper.toFixed(4)} calls/s per flapping device (${flap.flappingDevices} of ${n} measured) + ` +
      `${(perSteady * 1000).toFixed(4)} calls/s per 1,000 steady devices, at a ${heartbeatSeconds} s heartbeat`,
  };
}
