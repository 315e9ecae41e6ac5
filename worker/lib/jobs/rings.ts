import type { JobRings } from '../../../protocol/api/jobs';
import type { TargetDevice } from './targets';

/**
 * The canary's size: `count`, or `percent` of the target rounded up; at least one device and
 * never all of them (a job of one device has no canary: there would be nobody left to gate).
 */
export function canarySize(rings: JobRings, total: number): number {
  if (total < 2) return 0;
  const wanted = rings.count ?? Math.ceil(((rings.percent ?? 0) * total) / 100);
  return Math.min(total - 1, Math.max(1, wanted));
}

/* Fisher–Yates with the platform's CSPRNG: which devices go first is nobody's choice. */
function shuffled<T>(list: readonly T[]): T[] {
  const out = [...list];
  const rand = crypto.getRandomValues(new Uint32Array(out.length));
  for (let i = out.length - 1; i > 0; i--) {
    const j = rand[i]! % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * The canary devices' ids: online devices first (they can answer now), each group in random
 * order. Empty when the job runs without rings.
 */
export function pickCanary(rings: JobRings | null, devices: readonly TargetDevice[]): Set<string> {
  if (!rings) return new Set();
  const size = canarySize(rings, devices.length);
  const ordered = [...shuffled(devices.filter((d) => d.online)), ...shuffled(devices.filter((d) => !d.online))];
  return new Set(ordered.slice(0, size).map((d) => d.id));
}
