import * as v from 'valibot';

/*
 * The shape of bench/results/latest.json, so other tools (or a later bench) can read it
 * back with the same schemas. Times in ms, memory in bytes, CPU in seconds.
 */

export const Summary = v.object({
  count: v.number(),
  p50: v.nullable(v.number()),
  p99: v.nullable(v.number()),
  max: v.nullable(v.number()),
});
export type Summary = v.InferOutput<typeof Summary>;

/** What the target's processes used during one phase of a step (connect, steady, drain). */
export const PhaseUsage = v.object({
  phase: v.string(),
  wallSeconds: v.number(),
  cpuSeconds: v.number(),
  /** cpuSeconds / wallSeconds: 1.0 means one core busy all the time. */
  cpuCores: v.number(),
  diskWriteBytes: v.number(),
  simulatorCpuSeconds: v.number(),
});
export type PhaseUsage = v.InferOutput<typeof PhaseUsage>;

export const RuntimeUsage = v.object({
  peakRssBytes: v.number(),
  endRssBytes: v.number(),
  phases: v.array(PhaseUsage),
  /** Runtime processes that appeared during the step: a crashed workerd that was restarted. */
  runtimeRestarts: v.number(),
  processes: v.array(
    v.object({
      pid: v.number(),
      comm: v.string(),
      runtime: v.boolean(),
      exited: v.boolean(),
      rssBytes: v.number(),
      cpuSeconds: v.number(),
      diskWriteBytes: v.number(),
    }),
  ),
  /** CPU the bench process itself used in the same window (it shares the cores). */
  simulatorCpuSeconds: v.number(),
});
export type RuntimeUsage = v.InferOutput<typeof RuntimeUsage>;

const counts = v.record(v.string(), v.number());

export const StepResult = v.object({
  target: v.picklist(['wrangler', 'miniflare', 'baseline']),
  n: v.number(),
  enroll: v.optional(v.object({ devices: v.number(), elapsedMs: v.number(), perSecond: v.number(), failures: counts })),
  connect: v.object({ ok: v.number(), failed: v.number(), failures: counts, elapsedMs: v.number(), perSecond: v.number(), latency: Summary }),
  heartbeats: v.object({ sent: v.number(), acked: v.number(), lost: v.number(), rtt: Summary }),
  pings: v.object({ sent: v.number(), unanswered: v.number() }),
  drops: v.number(),
  dropReasons: counts,
  invalidFrames: v.number(),
  invalidSamples: v.array(v.string()),
  commands: v.object({
    asked: v.number(),
    run: v.number(),
    failed: v.number(),
    errors: counts,
    /** POST → result visible through GET /api/v1/commands/:id: the figure quoted. */
    roundTrip: Summary,
    post: Summary,
    delivered: Summary,
    stored: Summary,
  }),
  runtime: RuntimeUsage,
  /** The end of the target's own output when the step lost something (errors, crashes). */
  serverLogTail: v.optional(v.string()),
  /** The simulator's own event-loop delay: high values mean the bench, not the target, is slow. */
  simulatorLoopDelayP99Ms: v.number(),
  zeroLoss: v.boolean(),
});
export type StepResult = v.InferOutput<typeof StepResult>;

export const Report = v.object({
  startedAt: v.string(),
  command: v.string(),
  machine: v.object({ cpus: v.number(), memBytes: v.number(), node: v.string() }),
  options: v.record(v.string(), v.unknown()),
  steps: v.array(StepResult),
  /** Per target: the largest N that held with zero loss, and why the ramp stopped. */
  verdicts: v.array(v.object({ target: v.string(), largestZeroLossN: v.nullable(v.number()), stoppedBecause: v.string() })),
  elapsedSeconds: v.number(),
});
export type Report = v.InferOutput<typeof Report>;
