import * as v from 'valibot';

/*
 * What the agent's slower collectors report. Each section replaces the previous one
 * (latest wins, not acknowledged); event-log entries are durable frames instead, because
 * the agent advances its saved cursor only once the hub has stored them.
 */

const text = (max: number) => v.pipe(v.string(), v.maxLength(max));
const maybeBool = v.nullable(v.boolean());

export const ServiceInfo = v.object({
  name: text(255),
  displayName: v.optional(text(255)),
  state: v.picklist(['running', 'stopped', 'failed', 'starting', 'stopping', 'other']),
  startMode: v.picklist(['auto', 'manual', 'disabled', 'other']),
});
export type ServiceInfo = v.InferOutput<typeof ServiceInfo>;

export const ProcessInfo = v.object({
  pid: v.pipe(v.number(), v.integer(), v.minValue(0)),
  name: text(255),
  user: v.optional(text(128)),
  cpuPercent: v.pipe(v.number(), v.minValue(0), v.maxValue(100_000)),
  memBytes: v.pipe(v.number(), v.minValue(0)),
  command: v.optional(text(1024)),
});
export type ProcessInfo = v.InferOutput<typeof ProcessInfo>;

export const SecurityState = v.object({
  firewallEnabled: maybeBool,
  antivirus: v.object({
    present: maybeBool,
    name: v.optional(text(255)),
    /** Signatures current (Windows Security Center / the product's own report). */
    upToDate: maybeBool,
    enabled: maybeBool,
  }),
  diskEncryption: v.object({
    encrypted: maybeBool,
    detail: v.optional(text(512)),
  }),
  pendingUpdates: v.nullable(v.pipe(v.number(), v.integer(), v.minValue(0))),
  securityUpdates: v.optional(v.nullable(v.pipe(v.number(), v.integer(), v.minValue(0)))),
  rebootRequired: maybeBool,
  /** When the agent first saw the reboot requirement (ms, agent clock). */
  rebootRequiredSince: v.optional(v.nullable(v.number())),
});
export type SecurityState = v.InferOutput<typeof SecurityState>;

export const SmartDisk = v.object({
  device: text(255),
  model: v.optional(text(255)),
  serial: v.optional(text(128)),
  /** null: smartctl could not tell (no SMART support, no permission). */
  healthy: maybeBool,
  temperatureC: v.optional(v.number()),
  detail: v.optional(text(1024)),
});
export type SmartDisk = v.InferOutput<typeof SmartDisk>;

export const StateSections = {
  services: v.pipe(v.array(ServiceInfo), v.maxLength(5000)),
  processes: v.pipe(v.array(ProcessInfo), v.maxLength(200)),
  security: SecurityState,
  /** Empty when smartctl is not installed; `smartAvailable` says which. */
  smart: v.object({ available: v.boolean(), disks: v.pipe(v.array(SmartDisk), v.maxLength(64)) }),
};
export type StateSection = keyof typeof StateSections;
export type StateData<S extends StateSection> = v.InferOutput<(typeof StateSections)[S]>;

export const StateFrame = v.variant('section', [
  v.object({ t: v.literal('state'), at: v.number(), section: v.literal('services'), data: StateSections.services }),
  v.object({ t: v.literal('state'), at: v.number(), section: v.literal('processes'), data: StateSections.processes }),
  v.object({ t: v.literal('state'), at: v.number(), section: v.literal('security'), data: StateSections.security }),
  v.object({ t: v.literal('state'), at: v.number(), section: v.literal('smart'), data: StateSections.smart }),
]);
export type StateFrame = v.InferOutput<typeof StateFrame>;

export const EventEntry = v.object({
  /** Agent clock, ms. */
  ts: v.number(),
  level: v.picklist(['critical', 'error']),
  /** journald unit / syslog identifier, Windows provider, macOS subsystem. */
  source: text(256),
  eventId: v.optional(v.nullable(v.pipe(v.number(), v.integer()))),
  message: text(2048),
});
export type EventEntry = v.InferOutput<typeof EventEntry>;
export const MAX_EVENTS_PER_FRAME = 200;
