import * as v from 'valibot';

const pct = v.pipe(v.number(), v.minValue(0), v.maxValue(100));
const nonNeg = v.pipe(v.number(), v.minValue(0));
const shortText = (max = 256) => v.pipe(v.string(), v.maxLength(max));

export const VolumeSample = v.object({
  mount: shortText(512),
  fs: v.optional(shortText(64)),
  sizeBytes: nonNeg,
  usedBytes: nonNeg,
});

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
});
export type MetricsSample = v.InferOutput<typeof MetricsSample>;
export type VolumeSample = v.InferOutput<typeof VolumeSample>;
