import si from 'systeminformation';
import type { MetricsSample } from '../../../protocol/metrics';
import { readHwmon, type Sensor } from './hwmon';

export type SensorFields = Pick<MetricsSample, 'temperatures' | 'fans' | 'battery'>;

/** Sensors change slowly, and on Windows each read costs a WMI query: refresh once a minute. */
export const SENSOR_REFRESH_MS = 60_000;

const finite = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n);

async function temperaturesElsewhere(): Promise<Sensor[]> {
  const t = await si.cpuTemperature().catch(() => null);
  if (!t) return [];
  const out: Sensor[] = [];
  if (finite(t.main) && t.main > -50 && t.main < 150) out.push({ label: 'CPU', value: t.main });
  (t.cores ?? []).forEach((c, i) => finite(c) && c > -50 && c < 150 && out.push({ label: `CPU core ${i}`, value: c }));
  if (finite(t.chipset) && t.chipset > -50 && t.chipset < 150) out.push({ label: 'chipset', value: t.chipset });
  return out.slice(0, 64);
}

async function battery(): Promise<SensorFields['battery']> {
  const b = await si.battery().catch(() => null);
  if (!b?.hasBattery || !finite(b.percent)) return undefined;
  const health = finite(b.maxCapacity) && finite(b.designedCapacity) && b.designedCapacity > 0 && b.maxCapacity > 0
    ? Math.min(200, Math.round((b.maxCapacity / b.designedCapacity) * 1000) / 10)
    : undefined;
  return {
    percent: Math.max(0, Math.min(100, b.percent)),
    charging: !!b.isCharging,
    ...(health !== undefined ? { healthPercent: health } : {}),
    ...(finite(b.cycleCount) && b.cycleCount > 0 ? { cycles: b.cycleCount } : {}),
  };
}

export async function readSensors(platform = process.platform): Promise<SensorFields> {
  const [hw, bat] = await Promise.all([
    platform === 'linux' ? readHwmon() : temperaturesElsewhere().then((temperatures) => ({ temperatures, fans: [] as Sensor[] })),
    battery(),
  ]);
  return {
    ...(hw.temperatures.length ? { temperatures: hw.temperatures } : {}),
    ...(hw.fans.length ? { fans: hw.fans } : {}),
    ...(bat ? { battery: bat } : {}),
  };
}

/** The last reading, refreshed in the background at most once per SENSOR_REFRESH_MS. */
export class SensorCache {
  private value: SensorFields = {};
  private readAt = -Infinity;
  private pending: Promise<void> | null = null;

  constructor(
    private readonly read: () => Promise<SensorFields> = readSensors,
    private readonly now: () => number = Date.now,
  ) {}

  async get(): Promise<SensorFields> {
    if (this.now() - this.readAt >= SENSOR_REFRESH_MS) {
      this.pending ??= this.read()
        .then((v) => {
          this.value = v;
        }, () => {})
        .finally(() => {
          this.readAt = this.now();
          this.pending = null;
        });
      await this.pending;
    }
    return this.value;
  }
}
