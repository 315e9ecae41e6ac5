import si from 'systeminformation';
import { networkInterfaces, uptime } from 'node:os';
import type { MetricsSample, VolumeSample } from '../../protocol/metrics';

// Pseudo and image filesystems say nothing about free space a technician can act on.
const IGNORED_FS = new Set([
  'tmpfs', 'devtmpfs', 'devfs', 'squashfs', 'proc', 'sysfs', 'ramfs', 'efivarfs', 'autofs',
  'cgroup', 'cgroup2', 'nsfs', 'tracefs', 'debugfs', 'fusectl', 'map auto_home',
]);
const IGNORED_MOUNT = /^\/(proc|sys|dev|run|snap)(\/|$)|^\/System\/Volumes\/(VM|Preboot|Update|xarts|iSCPreboot|Hardware)$/;

const nonNeg = (n: unknown) => (typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : 0);

export function selectVolumes(list: si.Systeminformation.FsSizeData[]): VolumeSample[] {
  const seen = new Set<string>();
  const out: VolumeSample[] = [];
  for (const d of list) {
    const mount = String(d.mount ?? '');
    if (!mount || seen.has(mount) || IGNORED_FS.has(String(d.type)) || IGNORED_MOUNT.test(mount)) continue;
    if (!(nonNeg(d.size) > 0)) continue;
    seen.add(mount);
    out.push({ mount: mount.slice(0, 512), fs: String(d.type ?? '').slice(0, 64), sizeBytes: nonNeg(d.size), usedBytes: nonNeg(d.used) });
    if (out.length === 128) break;
  }
  return out;
}

export function externalAddresses(ifaces = networkInterfaces()): string[] {
  const out: string[] = [];
  for (const list of Object.values(ifaces)) {
    for (const a of list ?? []) if (!a.internal && !out.includes(a.address)) out.push(a.address.slice(0, 64));
  }
  return out.slice(0, 256);
}

let cpuBaseline: Promise<unknown> | null = null;

/**
 * Starts the CPU counters early: systeminformation's first reading takes half a second to
 * measure an interval, and that should overlap connecting rather than delay it.
 */
export function primeCpu(): void {
  cpuBaseline ??= si.currentLoad().catch(() => null);
}

/**
 * One heartbeat's sample. Cheap enough for every 5 s: CPU load is the delta of counters since
 * the previous call, memory and addresses come from the kernel directly, and only the volume
 * and user lists run a short command.
 */
export async function collectMetrics(): Promise<MetricsSample> {
  primeCpu();
  await cpuBaseline;
  const [load, mem, fs, users] = await Promise.all([
    si.currentLoad().catch(() => null),
    si.mem().catch(() => null),
    si.fsSize().catch(() => []),
    si.users().catch(() => []),
  ]);
  const names = [...new Set(users.map((u) => String(u.user ?? '').slice(0, 128)).filter(Boolean))];
  const total = nonNeg(mem?.total);
  // "active" is memory in use by programs; "used" also counts reclaimable page cache.
  const used = Math.min(total, nonNeg(mem?.active ?? mem?.used));
  return {
    ts: Date.now(),
    cpuPercent: Math.min(100, nonNeg(load?.currentLoad)),
    memTotalBytes: total,
    memUsedBytes: used,
    volumes: selectVolumes(fs),
    uptimeSeconds: Math.floor(nonNeg(uptime())),
    users: names.slice(0, 256),
    ipAddresses: externalAddresses(),
  };
}
