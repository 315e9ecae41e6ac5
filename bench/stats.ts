import type { Summary } from './result';

/** Nearest-rank percentile: the value at least p% of samples do not exceed. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** Latency samples in milliseconds, summarised the same way for every target. */
export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);
  return {
    count: sorted.length,
    p50: round(percentile(sorted, 50)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.length ? sorted[sorted.length - 1] : null),
  };
}

export function median(values: readonly number[]): number | null {
  return percentile([...values].sort((a, b) => a - b), 50);
}
