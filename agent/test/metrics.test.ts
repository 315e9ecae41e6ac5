import * as v from 'valibot';
import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { MetricsSample, impossibility } from '../../protocol/metrics';
import { readHwmon } from '../src/collectors/hwmon';
import type { IoCounters } from '../src/collectors/io-counters';
import { RateTracker } from '../src/collectors/rates';
import { SensorCache, SENSOR_REFRESH_MS } from '../src/collectors/sensors';
import { MetricsCollector } from '../src/metrics';
import { tempDir } from './helpers/agent-process';

const dirs: { remove(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

describe('rates', () => {
  it('gives a per-second rate from the second value on, and none after a counter reset', () => {
    const r = new RateTracker();
    expect(r.rate('x', 1000, 0)).toBeUndefined();
    expect(r.rate('x', 3000, 2000)).toBe(1000);
    expect(r.rate('x', 500, 3000)).toBeUndefined(); // went backwards: reset
    expect(r.rate('x', 1500, 4000)).toBe(1000);
    expect(r.rate('x', 1600, 4000)).toBeUndefined(); // no time passed
    r.keepOnly([]);
    expect(r.rate('x', 2000, 5000)).toBeUndefined();
  });
});

describe('heartbeat metrics', () => {
  it('adds per-core CPU, load, swap, and disk and network rates from the second sample', async () => {
    let step = 0;
    const io = async (): Promise<IoCounters> => {
      step++;
      return {
        disk: { readBytes: 1_000_000 * step, writeBytes: 4_000_000 * step },
        net: [{ iface: 'eth0', rxBytes: 10_000 * step, txBytes: 2_000 * step, errors: step }],
      };
    };
    const collector = new MetricsCollector('linux', new SensorCache(async () => ({ temperatures: [{ label: 'coretemp Package id 0', value: 48 }] })), io);
    const first = await collector.collect();
    expect(first.diskReadBytesPerSec).toBeUndefined();
    expect(first.net).toBeUndefined();
    await new Promise((r) => setTimeout(r, 1000));
    const second = await collector.collect();
    expect(v.is(MetricsSample, second)).toBe(true);
    expect(impossibility(second)).toBeNull();
    // The counters grew by one step between the two reads, about a second apart.
    const near = (actual: number | undefined, perStep: number) => {
      const seconds = perStep / actual!;
      expect(seconds).toBeGreaterThan(0.95);
      expect(seconds).toBeLessThan(3); // a busy machine stretches the second
    };
    near(second.diskReadBytesPerSec, 1_000_000);
    near(second.diskWriteBytesPerSec, 4_000_000);
    expect(second.net).toHaveLength(1);
    expect(second.net![0].iface).toBe('eth0');
    near(second.net![0].rxBytesPerSec, 10_000);
    near(second.net![0].txBytesPerSec, 2_000);
    near(second.net![0].errorsPerSec, 1);
    expect(second.diskWriteBytesPerSec! / second.diskReadBytesPerSec!).toBeCloseTo(4, 5);
    expect(second.temperatures).toEqual([{ label: 'coretemp Package id 0', value: 48 }]);
    // Real figures from this machine.
    expect(second.cores).toBe(cpus().length);
    expect(second.cpuPerCore).toHaveLength(cpus().length);
    expect(second.load).toHaveLength(3);
    expect(second.swapUsedBytes).toBeLessThanOrEqual(second.swapTotalBytes!);
  });

  it('on Windows, reads the counters (a PowerShell run) at most every 15 s and sends no load average', async () => {
    let reads = 0;
    const io = async (): Promise<IoCounters> => ({ disk: { readBytes: ++reads * 1000, writeBytes: 0 }, net: [] });
    const collector = new MetricsCollector('win32', new SensorCache(async () => ({})), io);
    await collector.collect();
    const m = await collector.collect();
    expect(reads).toBe(1);
    expect(m.load).toBeUndefined();
    expect(m.diskReadBytesPerSec).toBeUndefined(); // one read: no rate yet
  });

  it('reads this machine’s real network counters into rates', async () => {
    const collector = new MetricsCollector();
    await collector.collect();
    await new Promise((r) => setTimeout(r, 500));
    const m = await collector.collect();
    expect(v.is(MetricsSample, m)).toBe(true);
    // /proc/diskstats has a whole disk here, so the disk rates are present.
    expect(m.diskReadBytesPerSec).toBeGreaterThanOrEqual(0);
    for (const n of m.net ?? []) expect(n.iface).not.toBe('lo');
  });
});

describe('sensors', () => {
  it('reads temperatures and fans from a hwmon tree, skipping disconnected inputs', async () => {
    const d = tempDir();
    dirs.push(d);
    const chip = (name: string, files: Record<string, string>) => {
      const dir = join(d.path, name);
      mkdirSync(dir);
      for (const [f, content] of Object.entries(files)) writeFileSync(join(dir, f), content + '\n');
    };
    chip('hwmon0', { name: 'coretemp', temp1_input: '52000', temp1_label: 'Package id 0', temp2_input: '49500', temp2_label: 'Core 0' });
    chip('hwmon1', { name: 'nvme', temp1_input: '38850', temp1_label: 'Composite', temp2_input: '-273150' });
    chip('hwmon10', { name: 'nct6775', fan1_input: '1212', fan2_input: '0', fan2_label: 'CHA_FAN' });
    expect(await readHwmon(d.path)).toEqual({
      temperatures: [
        { label: 'coretemp Package id 0', value: 52 },
        { label: 'coretemp Core 0', value: 49.5 },
        { label: 'nvme Composite', value: 38.9 },
      ],
      fans: [
        { label: 'nct6775 fan1', value: 1212 },
        { label: 'nct6775 CHA_FAN', value: 0 },
      ],
    });
    expect(await readHwmon(join(d.path, 'absent'))).toEqual({ temperatures: [], fans: [] });
  });

  it('reads sensors at most once a minute', async () => {
    let reads = 0;
    let now = 0;
    const cache = new SensorCache(async () => ({ fans: [{ label: 'fan', value: ++reads }] }), () => now);
    expect((await cache.get()).fans).toEqual([{ label: 'fan', value: 1 }]);
    now += SENSOR_REFRESH_MS - 1;
    expect((await cache.get()).fans![0].value).toBe(1);
    now += 1;
    expect((await cache.get()).fans![0].value).toBe(2);
  });
});
