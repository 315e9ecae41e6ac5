import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { CheckDef, type CheckOf } from '../../protocol/checks';
import { diskFree, metricValue } from './check-metrics';
import { antivirusBreach, initialState, isTransition, rebootBreach, stepAgentResult, stepMetric, type CheckState } from './check-rules';
import { sample } from '../testing/fixtures';

const metric = (over: Record<string, unknown>) =>
  v.parse(CheckDef, { key: 'cpu', name: 'CPU', severity: 'critical', type: 'metric', metric: 'cpu', ...over }) as CheckOf<'metric'>;

/** Feeds values one per 30 s and returns the status after each. */
function run(check: CheckOf<'metric'>, values: number[], start = 1_000_000): { statuses: string[]; transitions: number } {
  let st: CheckState = initialState(start, check.severity);
  const statuses: string[] = [];
  let transitions = 0;
  values.forEach((value, i) => {
    const next = stepMetric(st, check, value, start + i * 30_000);
    if (isTransition(st, next)) transitions++;
    st = next;
    statuses.push(st.status);
  });
  return { statuses, transitions };
}

describe('threshold checks', () => {
  it('breaches at once without a duration and clears when back under', () => {
    expect(run(metric({ threshold: 90 }), [50, 95, 91, 89])).toEqual({ statuses: ['ok', 'breach', 'breach', 'ok'], transitions: 2 });
  });

  it('waits for the duration: CPU > 90 % for 2 min', () => {
    const c = metric({ threshold: 90, forSeconds: 120 });
    // 30 s apart: the condition holds from the 2nd sample (t=30 s) and reaches 120 s at t=150 s.
    expect(run(c, [50, 95, 95, 95, 95, 95]).statuses).toEqual(['ok', 'pending', 'pending', 'pending', 'pending', 'breach']);
    // A dip resets the clock.
    expect(run(c, [95, 95, 95, 50, 95, 95, 95, 95]).statuses).toEqual(['pending', 'pending', 'pending', 'ok', 'pending', 'pending', 'pending', 'pending']);
  });

  it('clears only below the hysteresis level', () => {
    const c = metric({ threshold: 90, clear: 80 });
    expect(run(c, [95, 85, 88, 81, 80, 85]).statuses).toEqual(['breach', 'breach', 'breach', 'breach', 'ok', 'ok']);
    expect(run(c, [95, 85, 88, 81, 80, 85]).transitions).toBe(2);
  });

  it('supports "below" checks (free memory style) with hysteresis upwards', () => {
    const c = metric({ metric: 'memory', op: 'below', threshold: 10, clear: 20 });
    expect(run(c, [50, 5, 15, 25]).statuses).toEqual(['ok', 'breach', 'breach', 'ok']);
  });

  it('a missing metric is unknown, and does not clear a breach', () => {
    const c = metric({ metric: 'temperature', threshold: 80 });
    let st = initialState(0, 'critical');
    st = stepMetric(st, c, null, 1);
    expect(st.status).toBe('unknown');
    st = stepMetric(st, c, 85, 2);
    expect(st.status).toBe('breach');
    expect(stepMetric(st, c, null, 3).status).toBe('breach');
  });

  it('reads metric values from a sample', () => {
    const m = sample({ cpuPercent: 40, memTotalBytes: 8e9, memUsedBytes: 6e9, load: [4, 2, 1], cores: 2, net: [
      { iface: 'eth0', rxBytesPerSec: 100, txBytesPerSec: 5, errorsPerSec: 1 },
      { iface: 'eth1', rxBytesPerSec: 50, txBytesPerSec: 5, errorsPerSec: 0 },
    ] });
    expect(metricValue(m, 'cpu')).toBe(40);
    expect(metricValue(m, 'memory')).toBe(75);
    expect(metricValue(m, 'load1')).toBe(2);
    expect(metricValue(m, 'net_rx')).toBe(150);
    expect(metricValue(m, 'net_errors')).toBe(1);
    expect(metricValue(m, 'swap')).toBeNull();
  });
});

describe('disk free', () => {
  const check = (over: Record<string, unknown>) =>
    v.parse(CheckDef, { key: 'disk', name: 'Disk', severity: 'warning', type: 'disk_free', ...over }) as CheckOf<'disk_free'>;
  const m = sample({
    volumes: [
      { mount: '/', sizeBytes: 100e9, usedBytes: 95e9 },
      { mount: '/data', sizeBytes: 1000e9, usedBytes: 500e9 },
      { mount: '/proc', sizeBytes: 0, usedBytes: 0 },
    ],
  });

  it('checks percent and absolute minimums and names the worst volume', () => {
    const pct = diskFree(m, check({ minFreePercent: 10 }));
    expect(pct.breach).toBe(true);
    expect(pct.message).toContain('/ has');
    expect(diskFree(m, check({ minFreePercent: 10, mount: '/data' })).breach).toBe(false);
    expect(diskFree(m, check({ minFreeBytes: 600e9, mount: '/data' })).breach).toBe(true);
    expect(diskFree(m, check({ minFreeBytes: 1e9 })).breach).toBe(false);
  });
});

describe('agent results and state conditions', () => {
  it('maps warning and fail to severities', () => {
    const c = { severity: 'critical' as const };
    const s0 = initialState(0, 'critical');
    const warn = stepAgentResult(s0, c, { key: 'x', status: 'warning', at: 1, message: 'slow' }, 1);
    expect(warn).toMatchObject({ status: 'breach', severity: 'warning' });
    const fail = stepAgentResult(warn, c, { key: 'x', status: 'fail', at: 2, message: 'down' }, 2);
    expect(fail).toMatchObject({ status: 'breach', severity: 'critical' });
    expect(isTransition(warn, fail)).toBe(true);
    expect(stepAgentResult(fail, c, { key: 'x', status: 'pass', at: 3, message: 'ok' }, 3).status).toBe('ok');
  });

  it('judges antivirus and pending reboots', () => {
    const base = {
      firewallEnabled: true,
      antivirus: { present: true, name: 'Defender', upToDate: false, enabled: true },
      diskEncryption: { encrypted: true },
      pendingUpdates: 0,
      rebootRequired: true,
      rebootRequiredSince: 0,
    };
    expect(antivirusBreach(base)).toMatchObject({ breach: true, message: 'antivirus Defender signatures are out of date' });
    expect(rebootBreach(base, 7, 8 * 86_400_000)).toMatchObject({ breach: true });
    expect(rebootBreach(base, 7, 6 * 86_400_000)).toMatchObject({ breach: false });
    expect(rebootBreach({ ...base, rebootRequired: null }, 7, 0).breach).toBeNull();
  });
});
