import * as v from 'valibot';
import { CHANGE_KINDS } from './inventory';
import { Interpreter } from './command';
import { MAX_SCRIPT_BYTES } from './limits';

/*
 * Check definitions: what a tenant authors in check sets, what the server compiles per
 * device, and what the DeviceHub and agent evaluate. One schema for all of them, so a rule
 * the API accepted is a rule every evaluator understands.
 */

export const Severity = v.picklist(['info', 'warning', 'critical']);
export type Severity = v.InferOutput<typeof Severity>;

/** Stable within a set; sets merge by key (the most specific assignment wins). */
export const CheckKey = v.pipe(
  v.string(),
  v.trim(),
  v.minLength(1, 'required'),
  v.maxLength(64),
  v.regex(/^[a-z0-9][a-z0-9_-]*$/, 'keys hold lower-case letters, digits, _ and -'),
);

/** What the hub reads from each heartbeat; ranges bound thresholds. */
export const METRICS = {
  cpu: { label: 'CPU', unit: '%', min: 0, max: 100 },
  memory: { label: 'Memory used', unit: '%', min: 0, max: 100 },
  swap: { label: 'Swap used', unit: '%', min: 0, max: 100 },
  load1: { label: 'Load (1 min) per core', unit: '', min: 0, max: 1000 },
  disk_used: { label: 'Disk used (fullest volume)', unit: '%', min: 0, max: 100 },
  temperature: { label: 'Hottest sensor', unit: '°C', min: -50, max: 150 },
  net_rx: { label: 'Network received', unit: 'B/s', min: 0, max: 1e12 },
  net_tx: { label: 'Network sent', unit: 'B/s', min: 0, max: 1e12 },
  net_errors: { label: 'Network errors', unit: '/s', min: 0, max: 1e9 },
} as const;
export type MetricName = keyof typeof METRICS;
export const MetricName = v.picklist(Object.keys(METRICS) as [MetricName, ...MetricName[]]);

const seconds = (min: number, max: number, dflt: number) =>
  v.optional(v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max)), dflt);

/** A name handed to the OS as one argument: never an option, never a path. */
const osName = (what: string) =>
  v.pipe(
    v.string(),
    v.trim(),
    v.minLength(1, 'required'),
    v.maxLength(255),
    v.regex(/^[A-Za-z0-9_.@:$][A-Za-z0-9 _.@:$+-]*$/, `${what} names hold letters, digits, space and _ . @ : $ + - (not a leading -)`),
  );

export const Host = v.pipe(
  v.string(),
  v.trim(),
  v.minLength(1, 'required'),
  v.maxLength(253),
  v.regex(/^[A-Za-z0-9_.:[\]%][A-Za-z0-9_.:[\]%-]*$/, 'a host name or IP address (not a leading -)'),
);

const compiles = (flags: string) =>
  v.check<string, string>((s) => {
    try {
      new RegExp(s, flags);
      return true;
    } catch {
      return false;
    }
  }, 'pattern does not compile as a regular expression');

const base = {
  key: CheckKey,
  name: v.pipe(v.string(), v.trim(), v.minLength(1, 'required'), v.maxLength(120)),
  severity: Severity,
  enabled: v.optional(v.boolean(), true),
};

/** Agent-run checks: how often, and how many failures in a row before it counts. */
const agentRun = {
  intervalSeconds: seconds(10, 86_400, 60),
  failAfter: seconds(1, 20, 1),
};

const MetricCheckObject = v.object({
  ...base,
  type: v.literal('metric'),
  metric: MetricName,
  op: v.optional(v.picklist(['above', 'below']), 'above'),
  threshold: v.number(),
  /** Hysteresis: the level that clears a breach; defaults to the threshold itself. */
  clear: v.optional(v.number()),
  /** The condition must hold this long before it is a breach. */
  forSeconds: seconds(0, 86_400, 0),
});

export const MetricCheck = v.pipe(
  MetricCheckObject,
  v.forward(
    v.check((c) => c.threshold >= METRICS[c.metric].min && c.threshold <= METRICS[c.metric].max, 'threshold out of range for this metric'),
    ['threshold'],
  ),
  v.forward(
    v.check(
      (c) => c.clear === undefined || (c.op === 'above' ? c.clear <= c.threshold : c.clear >= c.threshold),
      'the clear level must be on the healthy side of the threshold',
    ),
    ['clear'],
  ),
);

const DiskFreeObject = v.object({
  ...base,
  type: v.literal('disk_free'),
  /** One mount point; every volume when absent. */
  mount: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(512))),
  minFreePercent: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(100))),
  minFreeBytes: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1e18))),
});
export const DiskFreeCheck = v.pipe(
  DiskFreeObject,
  v.check((c) => c.minFreePercent !== undefined || c.minFreeBytes !== undefined, 'set minFreePercent, minFreeBytes or both'),
);

export const ServiceCheck = v.object({
  ...base,
  ...agentRun,
  type: v.literal('service'),
  service: osName('service'),
  /** Restart it once when found stopped; the alert says whether that worked. */
  restart: v.optional(v.boolean(), false),
});

export const ProcessCheck = v.object({
  ...base,
  ...agentRun,
  type: v.literal('process'),
  process: osName('process'),
  expect: v.optional(v.picklist(['running', 'absent']), 'running'),
});

const timeoutMs = v.optional(v.pipe(v.number(), v.integer(), v.minValue(100), v.maxValue(60_000)), 5000);

export const PingCheck = v.object({ ...base, ...agentRun, type: v.literal('ping'), host: Host, timeoutMs });

export const TcpCheck = v.object({
  ...base,
  ...agentRun,
  type: v.literal('tcp'),
  host: Host,
  port: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(65_535)),
  timeoutMs,
});

export const HttpCheck = v.object({
  ...base,
  ...agentRun,
  type: v.literal('http'),
  url: v.pipe(v.string(), v.maxLength(2048), v.url('not a URL'), v.regex(/^https?:\/\//i, 'http or https only')),
  /** Expected status; any 2xx or 3xx when absent. */
  expectStatus: v.optional(v.pipe(v.number(), v.integer(), v.minValue(100), v.maxValue(599))),
  /** Text the body must contain. */
  contains: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(256))),
  timeoutMs,
});

export const EventLogCheck = v.object({
  ...base,
  type: v.literal('event_log'),
  source: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(256))),
  eventId: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
  /** Case-insensitive regular expression over the message. */
  pattern: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(200), compiles('i'))),
  level: v.optional(v.picklist(['error', 'critical']), 'error'),
  /** The alert clears when nothing matched for this long. */
  clearAfterMinutes: seconds(1, 10_080, 60),
});

export const ScriptCheck = v.object({
  ...base,
  ...agentRun,
  type: v.literal('script'),
  interpreter: Interpreter,
  script: v.pipe(v.string(), v.minLength(1), v.maxBytes(MAX_SCRIPT_BYTES)),
  timeoutSeconds: seconds(1, 3600, 60),
  /** Exit 0 passes; these codes warn; any other fails. */
  warningExitCodes: v.optional(v.pipe(v.array(v.pipe(v.number(), v.integer())), v.maxLength(32)), [1]),
});

export const SmartCheck = v.object({ ...base, type: v.literal('smart') });
export const RebootPendingCheck = v.object({ ...base, type: v.literal('reboot_pending'), days: seconds(0, 365, 7) });
export const FirewallCheck = v.object({ ...base, type: v.literal('firewall') });
export const AntivirusCheck = v.object({ ...base, type: v.literal('antivirus') });
/** Inventory changes (judged by the DeviceHub as it applies a snapshot), e.g. "new software on a server". */
export const InventoryChangeCheck = v.object({
  ...base,
  type: v.literal('inventory_change'),
  kinds: v.pipe(v.array(v.picklist(CHANGE_KINDS)), v.minLength(1), v.maxLength(5)),
  /** Case-insensitive regular expression over the software name (or the hardware/os field); absent: any. */
  pattern: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(200), compiles('i'))),
  /** The alert clears when nothing matched for this long. */
  clearAfterMinutes: seconds(1, 10_080, 1440),
});
export const OfflineCheck = v.object({ ...base, type: v.literal('offline'), afterMinutes: seconds(0, 10_080, 0) });

export const CheckDef = v.variant('type', [
  MetricCheck,
  DiskFreeCheck,
  ServiceCheck,
  ProcessCheck,
  PingCheck,
  TcpCheck,
  HttpCheck,
  EventLogCheck,
  ScriptCheck,
  SmartCheck,
  RebootPendingCheck,
  FirewallCheck,
  AntivirusCheck,
  OfflineCheck,
  InventoryChangeCheck,
]);
export type CheckDef = v.InferOutput<typeof CheckDef>;
export type CheckType = CheckDef['type'];
export type CheckOf<T extends CheckType> = Extract<CheckDef, { type: T }>;

/** Run by the agent (it reports results); every other type is judged by the DeviceHub. */
export const AGENT_CHECK_TYPES = ['service', 'process', 'ping', 'tcp', 'http', 'script'] as const;
export type AgentCheckType = (typeof AGENT_CHECK_TYPES)[number];
export type AgentCheck = CheckOf<AgentCheckType>;
export const isAgentCheck = (c: CheckDef): c is AgentCheck => (AGENT_CHECK_TYPES as readonly string[]).includes(c.type);

export const MAX_CHECKS_PER_SET = 200;
/** Script checks of a set together: the signed config an agent receives has to stay one frame. */
export const MAX_SET_SCRIPT_BYTES = 128 * 1024;
/** UTF-8 length without TextEncoder: protocol/ compiles with no DOM or Node types. */
function utf8Length(s: string): number {
  let n = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return n;
}
const scriptBytes = (list: CheckDef[]) => list.reduce((n, c) => n + (c.type === 'script' ? utf8Length(c.script) : 0), 0);

export const CheckList = v.pipe(
  v.array(CheckDef),
  v.maxLength(MAX_CHECKS_PER_SET),
  v.check((list) => new Set(list.map((c) => c.key)).size === list.length, 'check keys must be unique within a set'),
  v.check((list) => scriptBytes(list) <= MAX_SET_SCRIPT_BYTES, `script checks of one set may hold ${MAX_SET_SCRIPT_BYTES / 1024} KiB of script in all`),
);

/** How often the agent's slower collectors run (heartbeat metrics follow the heartbeat). */
export const CollectorIntervals = v.object({
  servicesSeconds: seconds(30, 86_400, 300),
  processesSeconds: seconds(15, 86_400, 60),
  eventsSeconds: seconds(15, 86_400, 60),
  securitySeconds: seconds(300, 86_400, 3600),
  smartSeconds: seconds(300, 86_400, 3600),
  /** Inventory is collected this often but sent only when it changed (and then as a diff). */
  inventorySeconds: seconds(300, 7 * 86_400, 3600),
});
export type CollectorIntervals = v.InferOutput<typeof CollectorIntervals>;
export const DEFAULT_COLLECTORS: CollectorIntervals = v.parse(CollectorIntervals, {});

/** A device's effective check, after merging: where it came from travels with it. */
export const CompiledCheck = v.intersect([
  CheckDef,
  v.object({ setId: v.string(), setName: v.string(), escalationPolicyId: v.nullable(v.string()) }),
]);
export type CompiledCheck = v.InferOutput<typeof CompiledCheck>;

/** What the agent runs: signed by the tenant key, verified before any script check runs. */
export const AgentCheckConfig = v.object({
  v: v.literal(1),
  type: v.literal('checks'),
  deviceId: v.pipe(v.string(), v.minLength(8), v.maxLength(64)),
  tenantId: v.pipe(v.string(), v.minLength(8), v.maxLength(64)),
  /** Content hash of the compiled checks; also names the config in results. */
  version: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  /** Newer configs only: the agent refuses one issued before the one it runs. */
  issuedAt: v.number(),
  checks: v.pipe(v.array(v.variant('type', [ServiceCheck, ProcessCheck, PingCheck, TcpCheck, HttpCheck, ScriptCheck])), v.maxLength(1000)),
  collectors: CollectorIntervals,
});
export type AgentCheckConfig = v.InferOutput<typeof AgentCheckConfig>;

/** One result the agent reports for an agent-run check. */
export const CheckResult = v.object({
  key: CheckKey,
  status: v.picklist(['pass', 'warning', 'fail']),
  /** Agent clock, ms. */
  at: v.number(),
  message: v.pipe(v.string(), v.maxLength(1024)),
  /** Script output (trimmed to 8 KiB) or the HTTP/ping detail. */
  output: v.optional(v.pipe(v.string(), v.maxLength(8192))),
  value: v.optional(v.number()),
});
export type CheckResult = v.InferOutput<typeof CheckResult>;
