import * as v from 'valibot';

/* The shape of bench/results/download.json (the package download scenario). */

/** One pass over the file: through the Worker (download to disk, then hash it) or from disk (read and hash). */
export const Pass = v.object({
  ms: v.number(),
  mbPerSecond: v.number(),
  /** Through the Worker only: the transfer to disk alone, before the file was hashed. */
  transferMs: v.optional(v.number()),
  sha256Ok: v.boolean(),
});
export type Pass = v.InferOutput<typeof Pass>;

export const TargetDownloads = v.object({
  target: v.picklist(['wrangler', 'miniflare']),
  /** Upload through the API in parts, until `complete` answered (the server hashes the object then). */
  upload: v.nullable(v.object({ ms: v.number(), mbPerSecond: v.number(), parts: v.number() })),
  downloads: v.array(Pass),
  /** The same file read from disk and hashed, as many times, in the same run. */
  disk: v.array(Pass),
  /** Medians, MB/s (1 MB = 10^6 bytes). */
  medianMbPerSecond: v.nullable(v.number()),
  medianDiskMbPerSecond: v.nullable(v.number()),
  /** Download / disk: the share of the disk's speed the Worker path reaches. */
  ratio: v.nullable(v.number()),
  error: v.optional(v.string()),
});
export type TargetDownloads = v.InferOutput<typeof TargetDownloads>;

export const DownloadReport = v.object({
  startedAt: v.string(),
  command: v.string(),
  machine: v.object({ cpus: v.number(), memBytes: v.number(), node: v.string(), loadAverage: v.array(v.number()) }),
  bytes: v.number(),
  repeats: v.number(),
  targets: v.array(TargetDownloads),
  elapsedSeconds: v.number(),
});
export type DownloadReport = v.InferOutput<typeof DownloadReport>;
