import type { CheckOf, MetricName } from '../../protocol/checks';
import { METRICS } from '../../protocol/checks';
import type { MetricsSample } from '../../protocol/metrics';

/*
 * Reading check values out of one heartbeat sample. Pure functions: the hub calls them on
 * every sample, the tests call them on hand-made ones.
 */

const pct = (used: number, total: number) => (total > 0 ? Math.min(100, (used / total) * 100) : null);

/** Volumes of size 0 are pseudo file systems and never count. */
export const realVolumes = (m: MetricsSample) => m.volumes.filter((vol) => vol.sizeBytes > 0);

export function metricValue(m: MetricsSample, metric: MetricName): number | null {
  switch (metric) {
    case 'cpu':
      return m.cpuPercent;
    case 'memory':
      return pct(m.memUsedBytes, m.memTotalBytes);
    case 'swap':
      return m.swapTotalBytes === undefined || m.swapUsedBytes === undefined ? null : pct(m.swapUsedBytes, m.swapTotalBytes);
    case 'load1': {
      const cores = m.cores ?? m.cpuPerCore?.length;
      return m.load && cores ? m.load[0]! / cores : null;
    }
    case 'disk_used': {
      const shares = realVolumes(m).map((vol) => pct(vol.usedBytes, vol.sizeBytes) ?? 0);
      return shares.length ? Math.max(...shares) : null;
    }
    case 'temperature':
      return m.temperatures?.length ? Math.max(...m.temperatures.map((t) => t.value)) : null;
    case 'net_rx':
      return m.net ? m.net.reduce((sum, n) => sum + n.rxBytesPerSec, 0) : null;
    case 'net_tx':
      return m.net ? m.net.reduce((sum, n) => sum + n.txBytesPerSec, 0) : null;
    case 'net_errors':
      return m.net ? m.net.reduce((sum, n) => sum + n.errorsPerSec, 0) : null;
  }
}

export function formatValue(metric: MetricName, value: number): string {
  const unit = METRICS[metric].unit;
  if (unit === 'B/s') return `${formatBytes(value)}/s`;
  const rounded = Math.round(value * 10) / 10;
  return unit === '%' ? `${rounded} %` : unit ? `${rounded} ${unit}` : String(rounded);
}

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${Math.round(n * 10) / 10} ${units[i]}`;
}

export interface DiskVerdict {
  breach: boolean;
  /** Free share of the worst volume considered, percent. */
  value: number | null;
  message: string;
}

/** Every volume (or the one mount) must keep both minimums; the message names the worst. */
export function diskFree(m: MetricsSample, check: CheckOf<'disk_free'>): DiskVerdict {
  const vols = realVolumes(m).filter((vol) => check.mount === undefined || vol.mount === check.mount);
  if (vols.length === 0) {
    return { breach: false, value: null, message: check.mount ? `volume ${check.mount} not reported` : 'no volumes reported' };
  }
  let worst: { mount: string; freePct: number; free: number; low: boolean } | null = null;
  for (const vol of vols) {
    const free = Math.max(0, vol.sizeBytes - vol.usedBytes);
    const freePct = (free / vol.sizeBytes) * 100;
    const low =
      (check.minFreePercent !== undefined && freePct < check.minFreePercent) ||
      (check.minFreeBytes !== undefined && free < check.minFreeBytes);
    if (!worst || (low && !worst.low) || (low === worst.low && freePct < worst.freePct)) {
      worst = { mount: vol.mount, freePct, free, low };
    }
  }
  const w = worst!;
  const detail = `${w.mount} has ${formatBytes(w.free)} free (${Math.round(w.freePct * 10) / 10} %)`;
  return { breach: w.low, value: w.freePct, message: w.low ? `low disk space: ${detail}` : detail };
}
