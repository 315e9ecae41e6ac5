import * as v from 'valibot';
import si from 'systeminformation';
import { cpus, loadavg, networkInterfaces, uptime } from 'node:os';
import { MetricsSample, type NetSample, type VolumeSample } from '../../protocol/metrics';
import { readIoCounters, type IoCounters } from './collectors/io-counters';
import { RateTracker } from './collectors/rates';
import { SensorCache } from './collectors/sensors';
import { firstIssue } from './issues';
import { log } from './log';

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

/** CPU figures systeminformation measured since its previous call (the heartbeat interval). */
async function cpuFigures() {
  const load = await si.currentLoad().catch(() => null);
  const perCore = (load?.cpus ?? []).map((c) => Math.min(100, nonNeg(c.load))).slice(0, 1024);
  return { percent: Math.min(100, nonNeg(load?.currentLoad)), perCore };
}

/** Base fields every agent version has always sent: the fallback if an extra is malformed. */
type BaseSample = Pick<MetricsSample, 'ts' | 'cpuPercent' | 'memTotalBytes' | 'memUsedBytes' | 'volumes' | 'uptimeSeconds' | 'users' | 'ipAddresses'>;

/**
 * One heartbeat's sample. Cheap enough for every 5 s: CPU load is the delta of counters since
 * the previous call, memory, load, network and disk counters come from the kernel directly,
 * and only the volume and user lists run a short command. Sensors are cached for a minute.
 * Rates need two samples, so the first sample after start carries none.
 */
export class MetricsCollector {
  private readonly rates = new RateTracker();
  private warned = false;
  /** Windows reads its counters through PowerShell: at most every 15 s, not every live 5 s beat. */
  private readonly ioEveryMs: number;
  private lastIo: { at: number; fields: Partial<MetricsSample> } | null = null;

  constructor(
    private readonly platform: NodeJS.Platform = process.platform,
    private readonly sensors = new SensorCache(),
    private readonly ioCounters: () => Promise<IoCounters> = () => readIoCounters(platform),
  ) {
    this.ioEveryMs = platform === 'win32' ? 15_000 : 0;
  }

  async collect(): Promise<MetricsSample> {
    primeCpu();
    await cpuBaseline;
    const [cpu, mem, fs, users, io, sensors] = await Promise.all([
      cpuFigures(),
      si.mem().catch(() => null),
      si.fsSize().catch(() => []),
      si.users().catch(() => []),
      this.ioFields(),
      this.sensors.get(),
    ]);
    const ts = Date.now();
    const names = [...new Set(users.map((u) => String(u.user ?? '').slice(0, 128)).filter(Boolean))];
    const total = nonNeg(mem?.total);
    // "active" is memory in use by programs; "used" also counts reclaimable page cache.
    const used = Math.min(total, nonNeg(mem?.active ?? mem?.used));
    const base: BaseSample = {
      ts,
      cpuPercent: cpu.percent,
      memTotalBytes: total,
      memUsedBytes: used,
      volumes: selectVolumes(fs),
      uptimeSeconds: Math.floor(nonNeg(uptime())),
      users: names.slice(0, 256),
      ipAddresses: externalAddresses(),
    };
    const swapTotal = nonNeg(mem?.swaptotal);
    const extras: Partial<MetricsSample> = {
      cores: Math.max(1, cpu.perCore.length || cpus().length),
      ...(cpu.perCore.length ? { cpuPerCore: cpu.perCore } : {}),
      // Windows has no load average; Node reports zeros there, which would read as idle.
      ...(this.platform !== 'win32' ? { load: loadavg().map((n) => Math.min(100_000, nonNeg(n))) } : {}),
      ...(mem ? { swapTotalBytes: swapTotal, swapUsedBytes: Math.min(swapTotal, nonNeg(mem.swapused)) } : {}),
      ...io,
      ...sensors,
    };
    const sample = { ...base, ...extras };
    const checked = v.safeParse(MetricsSample, sample);
    if (checked.success) return checked.output;
    // The hub drops the connection on an invalid frame: better a plain sample than none.
    if (!this.warned) log.warn(`metrics extras dropped (${firstIssue(checked.issues)})`);
    this.warned = true;
    return base;
  }

  private async ioFields(): Promise<Partial<MetricsSample>> {
    const now = Date.now();
    if (this.lastIo && now - this.lastIo.at < this.ioEveryMs) return this.lastIo.fields;
    const io = await this.ioCounters().catch((): IoCounters => ({ disk: null, net: [] }));
    // Rates are over the time between counter reads, not between heartbeats.
    const fields = this.ioRates(io, Date.now());
    this.lastIo = { at: now, fields };
    return fields;
  }

  private ioRates(io: IoCounters, ts: number): Partial<MetricsSample> {
    const out: Partial<MetricsSample> = {};
    const cap = (n: number) => Math.min(1e13, n);
    if (io.disk) {
      const r = this.rates.rate('disk:r', io.disk.readBytes, ts);
      const w = this.rates.rate('disk:w', io.disk.writeBytes, ts);
      if (r !== undefined && w !== undefined) {
        out.diskReadBytesPerSec = cap(r);
        out.diskWriteBytesPerSec = cap(w);
      }
    }
    const net: NetSample[] = [];
    const keys = io.disk ? ['disk:r', 'disk:w'] : [];
    for (const n of io.net) {
      const k = `net:${n.iface}`;
      keys.push(`${k}:rx`, `${k}:tx`, `${k}:e`);
      const rx = this.rates.rate(`${k}:rx`, n.rxBytes, ts);
      const tx = this.rates.rate(`${k}:tx`, n.txBytes, ts);
      const e = this.rates.rate(`${k}:e`, n.errors, ts);
      if (rx !== undefined && tx !== undefined) net.push({ iface: n.iface.slice(0, 64), rxBytesPerSec: cap(rx), txBytesPerSec: cap(tx), errorsPerSec: cap(e ?? 0) });
    }
    this.rates.keepOnly(keys);
    if (net.length) out.net = net.slice(0, 64);
    return out;
  }
}
