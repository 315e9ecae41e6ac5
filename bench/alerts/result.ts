import * as v from 'valibot';
import { RuntimeUsage, Summary } from '../result';

/*
 * The shape of bench/results/alerts-*.json (the monitoring scenario), read back with the
 * same schemas as the fleet report. Times in ms unless a name says otherwise.
 */

/** Breach → open alert and clear → resolved alert, as a connected dashboard saw them. */
export const TransitionRun = v.object({
  mode: v.picklist(['spread', 'burst']),
  devices: v.number(),
  /** Breaching heartbeats sent per second (spread), or all in one tick (burst). */
  perSecond: v.nullable(v.number()),
  breach: Summary,
  clear: Summary,
  missingBreach: v.number(),
  missingClear: v.number(),
});
export type TransitionRun = v.InferOutput<typeof TransitionRun>;

/**
 * Breach → the service desk: the ticket the alert→ticket rule opened (its `ticket` frame on
 * the dashboard, sent once the row is in D1) and the Slack message the notification policy
 * sent (its arrival at the local receiver); the alert frame of the same breach alongside.
 */
export const DeskRun = v.object({
  mode: v.picklist(['spread', 'burst']),
  devices: v.number(),
  perSecond: v.nullable(v.number()),
  alert: Summary,
  ticket: Summary,
  slack: Summary,
  missingAlert: v.number(),
  missingTicket: v.number(),
  missingSlack: v.number(),
  /** Devices whose ticket the API listed afterwards (GET /tickets?deviceId=), with the rule's title. */
  ticketRows: v.number(),
});
export type DeskRun = v.InferOutput<typeof DeskRun>;

/** Agents that lost their connection, and when the dashboard heard of it. */
export const OfflineRun = v.object({
  mode: v.picklist(['reset', 'silent']),
  devices: v.number(),
  heartbeatSeconds: v.number(),
  /** Connection lost → `device` frame with status offline. */
  status: Summary,
  /** The same, counted from each agent's last heartbeat. */
  sinceLastBeat: Summary,
  /** Connection lost → the offline check's alert opened. */
  alert: Summary,
  missingStatus: v.number(),
  missingAlert: v.number(),
});
export type OfflineRun = v.InferOutput<typeof OfflineRun>;

/** The TenantHub's counters over one window, from /diagnostics/tenant-hub before and after. */
export const HubWindow = v.object({
  label: v.string(),
  flappingDevices: v.number(),
  seconds: v.number(),
  calls: v.number(),
  callsPerSecond: v.number(),
  checkTransitionCalls: v.number(),
  deviceStatusCalls: v.number(),
  transitions: v.number(),
  transitionsPerSecond: v.number(),
  /** Alert frames the dashboard received in the window. */
  alertFrames: v.number(),
  alertFramesPerSecond: v.number(),
  /** Times the hub's instance restarted in the window (its counters were read every 2 s and added up across restarts). */
  hubRestarts: v.number(),
});
export type HubWindow = v.InferOutput<typeof HubWindow>;

export const Extrapolation = v.object({
  devices: v.number(),
  flappingDevices: v.number(),
  heartbeatSeconds: v.number(),
  callsPerSecond: v.number(),
  /** Durable Object soft limit the figure is held against. */
  softLimitPerSecond: v.number(),
  basis: v.string(),
});
export type Extrapolation = v.InferOutput<typeof Extrapolation>;

export const AlertsTargetResult = v.object({
  target: v.picklist(['wrangler', 'miniflare', 'baseline']),
  n: v.number(),
  heartbeatSeconds: v.number(),
  enroll: v.object({ devices: v.number(), elapsedMs: v.number(), perSecond: v.number(), failed: v.number() }),
  connect: v.object({ ok: v.number(), failed: v.number(), elapsedMs: v.number(), perSecond: v.number() }),
  checks: v.optional(
    v.object({ recompile: v.object({ devices: v.number(), deferred: v.boolean() }), readyMs: v.number(), verified: v.number(), notReady: v.number() }),
  ),
  latency: v.array(TransitionRun),
  flap: v.array(HubWindow),
  extrapolation: v.optional(Extrapolation),
  offline: v.array(OfflineRun),
  /** Absent in results written before the part existed. */
  desk: v.optional(v.array(DeskRun), []),
  /** The fleet's own heartbeats during the whole scenario: how loaded the target was. */
  fleet: v.object({ hbRtt: Summary, hbByPhase: v.record(v.string(), Summary), hbSent: v.number(), hbAcked: v.number(), drops: v.number(), invalidFrames: v.number() }),
  feed: v.object({ frames: v.record(v.string(), v.number()), invalid: v.number(), invalidSamples: v.array(v.string()), closedWith: v.nullable(v.string()) }),
  runtime: RuntimeUsage,
  /** The simulator's own event-loop delay: high values mean the bench, not the target, is slow. */
  simulatorLoopDelayP99Ms: v.number(),
  error: v.optional(v.string()),
  serverLogTail: v.optional(v.string()),
});
export type AlertsTargetResult = v.InferOutput<typeof AlertsTargetResult>;

export const AlertsReport = v.object({
  startedAt: v.string(),
  command: v.string(),
  machine: v.object({ cpus: v.number(), memBytes: v.number(), node: v.string() }),
  options: v.record(v.string(), v.unknown()),
  results: v.array(AlertsTargetResult),
  elapsedSeconds: v.number(),
});
export type AlertsReport = v.InferOutput<typeof AlertsReport>;
