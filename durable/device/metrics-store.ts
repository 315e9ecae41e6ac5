import * as v from 'valibot';
import { MetricsSample } from '../../protocol/metrics';
import type { MetricPoint } from '../contracts';

const MINUTE = 60_000;
const HOUR = 3600_000;
export const MINUTE_RETENTION_MS = 48 * HOUR;
export const HOUR_RETENTION_MS = 90 * 24 * HOUR;

export const floorTo = (ts: number, unit: number) => Math.floor(ts / unit) * unit;

/** Highest used share of any volume, percent (volumes of size 0 are pseudo file systems). */
function diskMaxPercent(sample: MetricsSample): number {
  let max = 0;
  for (const vol of sample.volumes) {
    if (vol.sizeBytes > 0) max = Math.max(max, Math.min(100, (vol.usedBytes / vol.sizeBytes) * 100));
  }
  return max;
}

const netSum = (sample: MetricsSample, dir: 'rxBytesPerSec' | 'txBytesPerSec') =>
  sample.net?.reduce((sum, n) => sum + n[dir], 0) ?? 0;

const swapPercent = (s: MetricsSample) =>
  s.swapTotalBytes && s.swapUsedBytes !== undefined ? Math.min(100, (s.swapUsedBytes / s.swapTotalBytes) * 100) : 0;

type Row = {
  ts: number;
  n: number;
  cpu_sum: number;
  cpu_max: number;
  mem_used_sum: number;
  mem_total: number;
  disk_max_pct: number;
  net_rx_sum: number;
  net_tx_sum: number;
  swap_pct_max: number;
};

const toPoint = (r: Row): MetricPoint => ({
  ts: r.ts,
  cpuAvg: r.n ? r.cpu_sum / r.n : 0,
  cpuMax: r.cpu_max,
  memUsedAvg: r.n ? r.mem_used_sum / r.n : 0,
  memTotal: r.mem_total,
  diskMaxPercent: r.disk_max_pct,
  netRxAvg: r.n ? r.net_rx_sum / r.n : 0,
  netTxAvg: r.n ? r.net_tx_sum / r.n : 0,
  swapMaxPercent: r.swap_pct_max,
});

const COLUMNS = 'n, cpu_sum, cpu_max, mem_used_sum, mem_total, disk_max_pct, net_rx_sum, net_tx_sum, swap_pct_max';

const HOURLY_AGGREGATE = `SELECT (minute / ${HOUR}) * ${HOUR} AS ts, sum(n) AS n, sum(cpu_sum) AS cpu_sum,
  max(cpu_max) AS cpu_max, sum(mem_used_sum) AS mem_used_sum, max(mem_total) AS mem_total,
  max(disk_max_pct) AS disk_max_pct, sum(net_rx_sum) AS net_rx_sum, sum(net_tx_sum) AS net_tx_sum,
  max(swap_pct_max) AS swap_pct_max FROM metrics_minute`;

export class MetricsStore {
  constructor(private readonly sql: SqlStorage) {}

  /** The one storage write a heartbeat causes: fold the sample into its minute bucket. */
  record(sample: MetricsSample, receivedAt: number): void {
    this.sql.exec(
      `INSERT INTO metrics_minute (minute, ${COLUMNS}, last_ts, last_sample)
       VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(minute) DO UPDATE SET n = n + 1, cpu_sum = cpu_sum + excluded.cpu_sum,
         cpu_max = max(cpu_max, excluded.cpu_max), mem_used_sum = mem_used_sum + excluded.mem_used_sum,
         mem_total = excluded.mem_total, disk_max_pct = max(disk_max_pct, excluded.disk_max_pct),
         net_rx_sum = net_rx_sum + excluded.net_rx_sum, net_tx_sum = net_tx_sum + excluded.net_tx_sum,
         swap_pct_max = max(swap_pct_max, excluded.swap_pct_max),
         last_ts = excluded.last_ts, last_sample = excluded.last_sample`,
      floorTo(receivedAt, MINUTE),
      sample.cpuPercent,
      sample.cpuPercent,
      sample.memUsedBytes,
      sample.memTotalBytes,
      diskMaxPercent(sample),
      netSum(sample, 'rxBytesPerSec'),
      netSum(sample, 'txBytesPerSec'),
      swapPercent(sample),
      receivedAt,
      JSON.stringify(sample),
    );
  }

  /** Server time of the last heartbeat and its sample, recovered after hibernation. */
  latest(): { at: number; sample: MetricsSample } | null {
    const row = this.sql
      .exec<{ last_ts: number; last_sample: string }>('SELECT last_ts, last_sample FROM metrics_minute ORDER BY minute DESC LIMIT 1')
      .toArray()[0];
    if (!row) return null;
    const parsed = v.safeParse(MetricsSample, JSON.parse(row.last_sample));
    return parsed.success ? { at: row.last_ts, sample: parsed.output } : null;
  }

  /**
   * Folds every complete hour since the watermark into metrics_hour, then drops old rows.
   * Re-running it recomputes the same hours from the same minutes: idempotent.
   */
  rollup(now: number, rolledUntil: number | null): number {
    const currentHour = floorTo(now, HOUR);
    const oldest = this.sql.exec<{ m: number | null }>('SELECT min(minute) AS m FROM metrics_minute').one().m;
    const from = rolledUntil ?? (oldest === null ? currentHour : floorTo(oldest, HOUR));
    if (from < currentHour) {
      this.sql.exec(
        `INSERT OR REPLACE INTO metrics_hour (hour, ${COLUMNS})
         ${HOURLY_AGGREGATE} WHERE minute >= ? AND minute < ? GROUP BY ts`,
        from,
        currentHour,
      );
    }
    this.sql.exec('DELETE FROM metrics_minute WHERE minute < ?', now - MINUTE_RETENTION_MS);
    this.sql.exec('DELETE FROM metrics_hour WHERE hour < ?', now - HOUR_RETENTION_MS);
    return Math.max(from, currentHour);
  }

  /** When the oldest hourly row falls out of retention (null when there is none). */
  hoursExpireAt(): number | null {
    const oldest = this.sql.exec<{ h: number | null }>('SELECT min(hour) AS h FROM metrics_hour').one().h;
    return oldest === null ? null : oldest + HOUR_RETENTION_MS + 1;
  }

  /** Points in [from, to]; hours not yet rolled up are aggregated from minutes on the fly. */
  query(from: number, to: number, resolution: 'minute' | 'hour', rolledUntil: number | null): MetricPoint[] {
    if (resolution === 'minute') {
      return this.sql
        .exec<Row>(
          `SELECT minute AS ts, ${COLUMNS}
           FROM metrics_minute WHERE minute >= ? AND minute <= ? ORDER BY minute`,
          from,
          to,
        )
        .toArray()
        .map(toPoint);
    }
    const boundary = rolledUntil ?? 0;
    const rolled = this.sql
      .exec<Row>(
        `SELECT hour AS ts, ${COLUMNS}
         FROM metrics_hour WHERE hour >= ? AND hour <= ? AND hour < ? ORDER BY hour`,
        from,
        to,
        boundary,
      )
      .toArray();
    const live = this.sql
      .exec<Row>(`${HOURLY_AGGREGATE} WHERE minute >= ? GROUP BY ts HAVING ts >= ? AND ts <= ? ORDER BY ts`, boundary, from, to)
      .toArray();
    return [...rolled, ...live].map(toPoint);
  }
}
