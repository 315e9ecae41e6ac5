import { parseArgs } from 'node:util';
import * as v from 'valibot';

const int = (min: number, max: number) => v.pipe(v.string(), v.regex(/^\d+$/, 'a whole number'), v.transform(Number), v.minValue(min), v.maxValue(max));
const list = <T extends v.GenericSchema<string, unknown>>(item: T) =>
  v.pipe(
    v.string(),
    v.transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean)),
    v.array(item),
    v.minLength(1),
  );

const TargetName = v.picklist(['wrangler', 'miniflare', 'baseline']);
export const ALERT_PARTS = ['latency', 'desk', 'flap', 'offline'] as const;

/** Command-line flags, as strings in, typed values out. Defaults finish in under 10 minutes. */
export const Options = v.object({
  /**
   * `fleet`: the ramp below. `alerts`: the monitoring scenario (bench/alerts/), one N. `jobs`: one bulk job (bench/jobs/).
   * `inventory`: snapshots, unchanged resends, churn diffs and fleet search (bench/inventory/).
   * `deploy`: package deployments to N devices, with and without a canary ring (bench/deploy/).
   * `download`: a large package through the Worker vs the same file from disk (bench/download/; --n downloads).
   */
  scenario: v.optional(v.picklist(['fleet', 'alerts', 'jobs', 'inventory', 'deploy', 'download']), 'fleet'),
  /** Download scenario: the package's size in MiB. */
  'size-mb': v.optional(int(1, 4096), '100'),
  /** Inventory scenario: software items per device. */
  packages: v.optional(int(1, 20_000), '500'),
  /** Alerts scenario: which parts to run, in this order. */
  parts: v.optional(list(v.picklist(ALERT_PARTS)), ALERT_PARTS.join(',')),
  target: v.optional(list(TargetName), 'wrangler'),
  /** One fleet size; --ramp wins when both are given. */
  n: v.optional(int(1, 50_000)),
  /** Fleet sizes to climb, stopping at the first that loses anything. */
  ramp: v.optional(list(int(1, 50_000))),
  /** Seconds of steady heartbeating per step, after every agent connected. */
  duration: v.optional(int(5, 3600), '60'),
  /** Heartbeat interval the server hands the agents (HEARTBEAT_SECONDS). */
  heartbeat: v.optional(int(1, 3600), '30'),
  /** Command round trips sampled per step. */
  commands: v.optional(int(0, 10_000), '50'),
  'connect-concurrency': v.optional(int(1, 1000), '64'),
  'enroll-concurrency': v.optional(int(1, 200), '16'),
  /** Per-socket connect timeout, seconds. */
  'connect-timeout': v.optional(int(1, 600), '30'),
  /**
   * Slowest acceptable fleet reconnect, sockets/s: the connect phase may last N / this (at
   * least 120 s); sockets not connected by then count as failed.
   */
  'min-connect-rate': v.optional(int(1, 10_000), '20'),
  /** The whole run stops starting new steps once this is spent (the estimate is printed first). */
  'budget-minutes': v.optional(int(1, 600), '10'),
  /** First of three ports (target order: wrangler, miniflare, baseline). */
  port: v.optional(int(1024, 65000), '8870'),
  /** Skip the Node `ws` baseline (ratios are then not printed). */
  'no-baseline': v.optional(v.boolean(), false),
  /** Keep the state folders (.bench-state/) for a look at the per-object SQLite files. */
  'keep-state': v.optional(v.boolean(), false),
  /** Default: bench/results/latest.json (fleet), bench/results/alerts-latest.json (alerts), bench/results/jobs-<n>.json (jobs). */
  out: v.optional(v.string()),
});
export type Options = v.InferOutput<typeof Options>;

const BOOLEAN_FLAGS = new Set(['no-baseline', 'keep-state']);
export const DEFAULT_RAMP = [500, 1000];

export function readOptions(argv: string[]): Options {
  const flags = Object.fromEntries(
    Object.keys(Options.entries).map((k) => [k, { type: BOOLEAN_FLAGS.has(k) ? ('boolean' as const) : ('string' as const) }]),
  );
  const { values } = parseArgs({ args: argv, options: flags, strict: true });
  const parsed = v.safeParse(Options, values);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    const path = issue.path?.map((p) => p.key).join('.') ?? '';
    throw new Error(`--${path}: ${issue.message}`);
  }
  return parsed.output;
}

export function outOf(o: Options): string {
  if (o.out) return o.out;
  if (o.scenario === 'inventory') return `bench/results/inventory-${o.n ?? 1000}.json`;
  if (o.scenario === 'deploy') return `bench/results/deploy-${o.target.find((t) => t !== 'baseline') === 'miniflare' ? 'miniflare-' : ''}${o.n ?? 1000}.json`;
  if (o.scenario === 'download') return 'bench/results/download.json';
  if (o.scenario === 'jobs') return `bench/results/jobs-${o.target.find((t) => t !== 'baseline') === 'miniflare' ? 'miniflare-' : ''}${o.n ?? 1000}.json`;
  return o.scenario === 'alerts' ? 'bench/results/alerts-latest.json' : 'bench/results/latest.json';
}

/** The fleet sizes to run, in increasing order. */
export function sizesOf(o: Options): number[] {
  const sizes = o.ramp ?? (o.n !== undefined ? [o.n] : DEFAULT_RAMP);
  return [...new Set(sizes)].sort((a, b) => a - b);
}
