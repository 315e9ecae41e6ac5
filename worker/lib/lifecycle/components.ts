import type { HealthComponent } from '../../../protocol/api/lifecycle';
import type { OsInventory } from '../../../protocol/inventory';
import { osEndOfLife } from '../inventory/os-eol';
import type { OsProduct } from '../inventory/os-eol-data';
import { daysUntil, isoDay, yearsBetween } from './dates';

/*
 * The health score's parts, each judged from what D1 holds about a device. A part returns null
 * when there is nothing to judge (no SMART data, no warranty on record…): it then does not count,
 * rather than counting as good or bad. Details quote agent text (disk models, mount points):
 * the dashboard renders them as text.
 */

export type ComponentKey = HealthComponent['key'];

export interface DiskFact {
  device: string | null;
  model: string | null;
  smart: string | null;
}
export interface VolumeFact {
  mount: string;
  fs: string | null;
  sizeBytes: number | null;
  usedBytes: number | null;
}

/** Everything the score looks at, as one device's rows provide it. */
export interface LifecycleInput {
  /** null: no inventory received yet. */
  hardware: { disks: DiskFact[]; volumes: VolumeFact[] } | null;
  os: Pick<OsInventory, 'platform' | 'name' | 'version' | 'build'>;
  /** Offline and event-log alerts opened in the last 30 days. */
  stabilityAlerts: number;
  /** Every alert opened in the last 30 days. */
  alerts: number;
  /** The latest coverage end among the device's warranties (YYYY-MM-DD). */
  warrantyEnd: string | null;
  warrantyStart: string | null;
  purchaseDate: string | null;
  firmwareDate: string | null;
}

export type Since = { date: string; source: 'purchase' | 'warranty' | 'firmware' };

export type Judgement = { score: number | null; detail: string };

/** Labels and weights (they sum to 1; see score.ts for how absent parts rescale the rest). */
export const COMPONENTS: Record<ComponentKey, { label: string; weight: number }> = {
  smart: { label: 'Disk health (SMART)', weight: 0.2 },
  disk_space: { label: 'Disk space', weight: 0.1 },
  stability: { label: 'Stability', weight: 0.15 },
  alerts: { label: 'Alert frequency', weight: 0.1 },
  warranty: { label: 'Warranty', weight: 0.1 },
  os_eol: { label: 'OS support', weight: 0.15 },
  age: { label: 'Age', weight: 0.2 },
};

const clamp = (n: number) => Math.round(Math.min(100, Math.max(0, n)));
const short = (s: string, max = 48) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

const SMART_FAIL = /fail|unhealthy|\bbad\b|error|critical/i;
const SMART_WARN = /warn|degraded|caution/i;
const SMART_OK = /^(ok|passed|healthy|good|verified)$/i;

function smartVerdict(smart: string | null): 'fail' | 'warn' | 'ok' | null {
  const s = smart?.trim() ?? '';
  if (!s) return null;
  if (SMART_FAIL.test(s)) return 'fail';
  if (SMART_WARN.test(s)) return 'warn';
  return SMART_OK.test(s) ? 'ok' : null;
}

const diskName = (d: DiskFact) => short([d.device, d.model && `(${d.model})`].filter(Boolean).join(' ') || 'a disk');

/** Any disk failing → 0, any warning → 50, all readable ones healthy → 100; nothing readable → null. */
export function smartHealth(input: LifecycleInput): Judgement {
  if (!input.hardware) return { score: null, detail: 'no inventory received yet' };
  const disks = input.hardware.disks.map((d) => ({ d, verdict: smartVerdict(d.smart) }));
  const known = disks.filter((x) => x.verdict !== null);
  if (!known.length) return { score: null, detail: disks.length ? `no SMART verdict for ${plural(disks.length, 'disk')}` : 'no disks reported' };
  const failing = known.filter((x) => x.verdict === 'fail');
  const warning = known.filter((x) => x.verdict === 'warn');
  const worst = failing[0] ?? warning[0];
  if (worst) {
    const more = failing.length + warning.length - 1;
    const detail = `${diskName(worst.d)} reports ${short(worst.d.smart!.trim(), 32)}${more ? ` (and ${plural(more, 'other disk')})` : ''}`;
    return { score: failing.length ? 0 : 50, detail };
  }
  const unknown = disks.length - known.length;
  return { score: 100, detail: `${known.length} of ${plural(disks.length, 'disk')} healthy${unknown ? `, ${unknown} without a SMART verdict` : ''}` };
}

// Pseudo, memory-backed, image and network file systems: their fullness says nothing about the device's disks.
const VIRTUAL_FS = /^(tmpfs|devtmpfs|ramfs|squashfs|overlay|aufs|proc|sysfs|cgroup2?|efivarfs|autofs|devfs|nullfs|iso9660|udf|nfs4?|cifs|smbfs|afpfs|fuse\..*|9p)$/i;
const VIRTUAL_MOUNT = /^(\/(proc|sys|dev|run|snap)(\/|$)|\/System\/Volumes\/(?!Data$))/;

const isPhysicalVolume = (v: VolumeFact) =>
  !!v.sizeBytes && v.usedBytes !== null && !VIRTUAL_FS.test(v.fs?.trim() ?? '') && !VIRTUAL_MOUNT.test(v.mount);

/** The fullest real volume: ≤ 70 % used → 100, ≥ 95 % → 0, straight line between. */
export function diskSpace(input: LifecycleInput): Judgement {
  if (!input.hardware) return { score: null, detail: 'no inventory received yet' };
  const volumes = input.hardware.volumes.filter(isPhysicalVolume).map((v) => ({ mount: v.mount, pct: (100 * v.usedBytes!) / v.sizeBytes! }));
  if (!volumes.length) return { score: null, detail: 'no volume sizes reported' };
  const fullest = volumes.reduce((a, b) => (b.pct > a.pct ? b : a));
  const roomy = volumes.filter((v) => v.pct < 80).length;
  const fullestText = `${short(fullest.mount)} at ${Math.round(fullest.pct)} % used`;
  const detail = volumes.length === 1 ? fullestText : `${roomy} of ${volumes.length} volumes below 80 % used; fullest ${fullestText}`;
  return { score: clamp((100 * (95 - fullest.pct)) / 25), detail };
}

/** Offline and event-log alerts of the last 30 days: none → 100, each costs 20. */
export function stability(input: LifecycleInput): Judgement {
  const n = input.stabilityAlerts;
  return { score: clamp(100 - 20 * n), detail: n ? `${plural(n, 'offline or event-log alert')} in the last 30 days` : 'no offline or event-log alerts in the last 30 days' };
}

/** Every alert of the last 30 days: none → 100, each costs 10. */
export function alertFrequency(input: LifecycleInput): Judgement {
  const n = input.alerts;
  return { score: clamp(100 - 10 * n), detail: n ? `${plural(n, 'alert')} opened in the last 30 days` : 'no alerts in the last 30 days' };
}

/** Covered beyond 180 days → 100; expiring → 100 down to 20 on its last day; expired → 0; none on record → null. */
export function warranty(input: LifecycleInput, now: number): Judgement {
  const end = input.warrantyEnd;
  if (!end) return { score: null, detail: 'no warranty on record' };
  const left = daysUntil(end, now);
  if (left < 0) return { score: 0, detail: `warranty ended ${end}` };
  if (left > 180) return { score: 100, detail: `covered until ${end} (${left} days)` };
  return { score: clamp(20 + (80 * left) / 180), detail: `warranty ends ${end} (${plural(left, 'day')})` };
}

const PRODUCT: Record<OsProduct, string> = {
  windows: 'Windows',
  'windows-server': 'Windows',
  macos: 'macOS',
  ubuntu: 'Ubuntu',
  debian: 'Debian',
  rhel: 'RHEL',
  rocky: 'Rocky Linux',
  alma: 'AlmaLinux',
  centos: 'CentOS',
  'centos-stream': 'CentOS Stream',
  fedora: 'Fedora',
};

/**
 * Standard support running → 100, ending within 180 days → 50, past it but under (usually paid)
 * extended support → 25, past every end → 0; an OS the table does not know → null.
 */
export function osSupport(input: LifecycleInput, now: number): Judgement {
  const eol = osEndOfLife(input.os, now);
  if (!eol.product || !eol.cycle) return { score: null, detail: `${short(`${input.os.name} ${input.os.version}`.trim())} is not in the end-of-life table` };
  const name = `${PRODUCT[eol.product]} ${eol.cycle}`;
  const ends = eol.endsAt === null ? null : isoDay(eol.endsAt);
  switch (eol.status) {
    case 'supported':
      return { score: 100, detail: ends ? `${name} supported until ${ends}` : `${name} supported` };
    case 'ending_soon':
      return { score: 50, detail: `${name} support ends ${ends} (${plural(daysUntil(ends!, now), 'day')})` };
    case 'extended_only':
      return { score: 25, detail: `${name} support ended ${ends}; extended support until ${isoDay(eol.extendedEndsAt!)}` };
    case 'end_of_life':
      return { score: 0, detail: `${name} support ended ${isoDay(eol.extendedEndsAt ?? eol.endsAt!)}` };
    default:
      return { score: null, detail: `${name}: end of support not known` };
  }
}

export const SOURCE_TEXT: Record<Since['source'], string> = { purchase: 'purchase', warranty: 'warranty start', firmware: 'firmware date' };

/** The day the age counts from: purchase, else the earliest warranty start, else the BIOS release. */
export function sinceOf(input: LifecycleInput): Since | null {
  if (input.purchaseDate) return { date: input.purchaseDate, source: 'purchase' };
  if (input.warrantyStart) return { date: input.warrantyStart, source: 'warranty' };
  if (input.firmwareDate) return { date: input.firmwareDate, source: 'firmware' };
  return null;
}

/** Up to 2 years → 100 (less when the replacement age is that short), the replacement age → 0. */
export function age(since: Since | null, now: number, replaceAfterYears: number): Judgement {
  if (!since) return { score: null, detail: 'no purchase date, warranty start or firmware date' };
  const years = Math.max(0, yearsBetween(since.date, now));
  const full = Math.min(2, replaceAfterYears - 1);
  const score = years <= full ? 100 : clamp((100 * (replaceAfterYears - years)) / (replaceAfterYears - full));
  return { score, detail: `${years.toFixed(1)} years since ${SOURCE_TEXT[since.source]} ${since.date}` };
}
