import * as v from 'valibot';

const pct = v.pipe(v.number(), v.minValue(0), v.maxValue(100));
const nonNeg = v.pipe(v.number(), v.minValue(0));
const shortText = (max = 256) => v.pipe(v.string(), v.maxLength(max));
/** Rates and counters: bounded so one broken collector cannot poison a rollup. */
const rate = v.pipe(v.number(), v.minValue(0), v.maxValue(1e13));

export const VolumeSample = v.object({
  mount: shortText(512),
  fs: v.optional(shortText(64)),
  sizeBytes: nonNeg,
  usedBytes: nonNeg,
});

export const NetSample = v.object({
  iface: shortText(64),
  rxBytesPerSec: rate,
  txBytesPerSec: rate,
  /** Receive + transmit errors and drops per second since the previous sample. */
  errorsPerSec: rate,
});

export const SensorSample = v.object({
  label: shortText(128),
  /** Degrees Celsius for temperatures, RPM for fans. */
  value: v.pipe(v.number(), v.minValue(-100), v.maxValue(100_000)),
});

export const BatterySample = v.object({
  percent: pct,
  charging: v.boolean(),
  /** Full-charge capacity as a share of design capacity, where the OS says. */
  healthPercent: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(200))),
  cycles: v.optional(nonNeg),
});

/*
 * One heartbeat's measurements. Everything after `ipAddresses` came with the monitoring
 * collectors and is optional, so an older agent's heartbeat still parses.
 */
export const MetricsSample = v.object({
  /** Agent clock, ms since epoch. */
  ts: nonNeg,
  cpuPercent: pct,
  memTotalBytes: nonNeg,
  memUsedBytes: nonNeg,
  volumes: v.pipe(v.array(VolumeSample), v.maxLength(128)),
  uptimeSeconds: nonNeg,
  users: v.pipe(v.array(shortText(128)), v.maxLength(256)),
  ipAddresses: v.pipe(v.array(shortText(64)), v.maxLength(256)),
  cpuPerCore: v.optional(v.pipe(v.array(pct), v.maxLength(1024))),
  /** 1, 5 and 15-minute load averages (absent on Windows). */
  load: v.optional(v.pipe(v.array(v.pipe(v.number(), v.minValue(0), v.maxValue(100_000))), v.length(3))),
  cores: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(4096))),
  swapTotalBytes: v.optional(nonNeg),
  swapUsedBytes: v.optional(nonNeg),
  diskReadBytesPerSec: v.optional(rate),
  diskWriteBytesPerSec: v.optional(rate),
  net: v.optional(v.pipe(v.array(NetSample), v.maxLength(64))),
  temperatures: v.optional(v.pipe(v.array(SensorSample), v.maxLength(64))),
  fans: v.optional(v.pipe(v.array(SensorSample), v.maxLength(64))),
  battery: v.optional(BatterySample),
});
export type MetricsSample = v.InferOutput<typeof MetricsSample>;
export type VolumeSample = v.InferOutput<typeof VolumeSample>;
export type NetSample = v.InferOutput<typeof NetSample>;

/**
 * Values no machine can report (used beyond total, a volume fuller than itself). Such a
 * sample is dropped and counted, never stored. Returns why, or null when it is plausible.
 */
export function impossibility(m: MetricsSample): string | null {
  if (m.memUsedBytes > m.memTotalBytes * 1.01) return 'memory used exceeds total';
  if (m.swapUsedBytes !== undefined && m.swapTotalBytes !== undefined && m.swapUsedBytes > m.swapTotalBytes * 1.01) {
    return 'swap used exceeds total';
  }
  for (const vol of m.volumes) if (vol.usedBytes > vol.sizeBytes * 1.01) return `volume ${vol.mount} used exceeds size`;
  if (m.cores !== undefined && m.cpuPerCore !== undefined && m.cpuPerCore.length > m.cores * 2) return 'more per-core figures than cores';
  return null;
}
