import type { MetricPoint } from '../../durable/contracts';

/**
 * Folds points into buckets of `stepMs` (a chart asks for as many points as it has pixels).
 * Averages are weighted equally per source point; maxima stay maxima.
 */
export function downsample(points: MetricPoint[], stepMs: number): MetricPoint[] {
  const out: MetricPoint[] = [];
  let bucket: MetricPoint[] = [];
  let start = 0;
  const flush = () => {
    if (!bucket.length) return;
    const n = bucket.length;
    const avg = (f: (p: MetricPoint) => number) => bucket.reduce((s, p) => s + f(p), 0) / n;
    const max = (f: (p: MetricPoint) => number) => Math.max(...bucket.map(f));
    out.push({
      ts: start,
      cpuAvg: avg((p) => p.cpuAvg),
      cpuMax: max((p) => p.cpuMax),
      memUsedAvg: avg((p) => p.memUsedAvg),
      memTotal: max((p) => p.memTotal),
      diskMaxPercent: max((p) => p.diskMaxPercent),
      netRxAvg: avg((p) => p.netRxAvg),
      netTxAvg: avg((p) => p.netTxAvg),
      swapMaxPercent: max((p) => p.swapMaxPercent),
    });
    bucket = [];
  };
  for (const p of points) {
    const b = Math.floor(p.ts / stepMs) * stepMs;
    if (b !== start) {
      flush();
      start = b;
    }
    bucket.push(p);
  }
  flush();
  return out;
}
