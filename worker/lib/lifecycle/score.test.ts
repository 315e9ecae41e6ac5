import { describe, expect, it } from 'vitest';
import type { LifecycleInput } from './components';
import { combine, forecast, gradeOf, scoreLifecycle, type Lifecycle } from './score';
import { addMonths, addYears } from './dates';

const NOW = Date.parse('2026-06-15T12:00:00Z');
const GB = 1e9;

/** A healthy three-year-old Ubuntu laptop with two disks, three volumes and a long warranty. */
function input(over: Partial<LifecycleInput> = {}): LifecycleInput {
  return {
    hardware: {
      disks: [
        { device: '/dev/nvme0n1', model: 'Samsung SSD 980 PRO 1TB', smart: 'Ok' },
        { device: '/dev/sda', model: 'WDC WD20EZRZ', smart: 'PASSED' },
      ],
      volumes: [
        { mount: '/', fs: 'ext4', sizeBytes: 500 * GB, usedBytes: 200 * GB },
        { mount: '/home', fs: 'ext4', sizeBytes: 400 * GB, usedBytes: 100 * GB },
        { mount: '/boot/efi', fs: 'vfat', sizeBytes: 1 * GB, usedBytes: 0.1 * GB },
        { mount: '/snap/core22/1380', fs: 'squashfs', sizeBytes: 0.1 * GB, usedBytes: 0.1 * GB },
        { mount: '/run', fs: 'tmpfs', sizeBytes: 3 * GB, usedBytes: 3 * GB },
      ],
    },
    os: { platform: 'linux', name: 'Ubuntu', version: '24.04.1 LTS', build: 'noble' },
    stabilityAlerts: 0,
    alerts: 0,
    warrantyEnd: '2028-01-31',
    warrantyStart: '2023-02-01',
    purchaseDate: '2024-06-15',
    firmwareDate: '2023-11-20',
    ...over,
  };
}

const part = (l: Lifecycle, key: string) => l.components.find((c) => c.key === key)!;
const run = (over: Partial<LifecycleInput> = {}, years = 5, now = NOW) => scoreLifecycle(input(over), now, years);
const volumes = (...used: number[]) => ({ disks: input().hardware!.disks, volumes: used.map((u, i) => ({ mount: `/v${i}`, fs: 'xfs', sizeBytes: 100 * GB, usedBytes: u * GB })) });

describe('components', () => {
  it('SMART: every readable disk healthy → 100; a failing one → 0; a warning → 50; nothing readable → null', () => {
    expect(part(run(), 'smart')).toMatchObject({ score: 100, detail: '2 of 2 disks healthy' });
    const failing = run({ hardware: { ...input().hardware!, disks: [{ device: '/dev/sda', model: 'ST1000LM035', smart: 'Predicted Failure' }, ...input().hardware!.disks] } });
    expect(part(failing, 'smart')).toMatchObject({ score: 0, detail: '/dev/sda (ST1000LM035) reports Predicted Failure' });
    const warn = run({ hardware: { ...input().hardware!, disks: [{ device: 'PhysicalDisk0', model: null, smart: 'Warning' }] } });
    expect(part(warn, 'smart').score).toBe(50);
    const unknown = run({ hardware: { ...input().hardware!, disks: [{ device: 'disk0', model: 'APPLE SSD', smart: 'Not Supported' }, { device: 'disk1', model: null, smart: null }] } });
    expect(part(unknown, 'smart')).toMatchObject({ score: null, weight: 0, detail: 'no SMART verdict for 2 disks' });
    const partly = run({ hardware: { ...input().hardware!, disks: [...input().hardware!.disks, { device: '/dev/sdb', model: 'USB stick', smart: null }] } });
    expect(part(partly, 'smart').detail).toBe('2 of 3 disks healthy, 1 without a SMART verdict');
    expect(part(run({ hardware: null }), 'smart')).toMatchObject({ score: null, detail: 'no inventory received yet' });
  });

  it('disk space: the fullest real volume decides, 70 % → 100 … 95 % → 0; virtual and image volumes do not count', () => {
    // The squashfs snap and the full tmpfs are ignored: / at 40 % is the fullest.
    expect(part(run(), 'disk_space')).toMatchObject({ score: 100, detail: '3 of 3 volumes below 80 % used; fullest / at 40 % used' });
    expect(part(run({ hardware: volumes(91, 50, 30) }), 'disk_space')).toMatchObject({ score: 16, detail: '2 of 3 volumes below 80 % used; fullest /v0 at 91 % used' });
    expect(part(run({ hardware: volumes(70) }), 'disk_space')).toMatchObject({ score: 100, detail: '/v0 at 70 % used' });
    expect(part(run({ hardware: volumes(82.5) }), 'disk_space').score).toBe(50);
    expect(part(run({ hardware: volumes(95) }), 'disk_space').score).toBe(0);
    expect(part(run({ hardware: volumes(99.9, 10) }), 'disk_space').score).toBe(0);
    const cdrom = { disks: [], volumes: [{ mount: '/media/cdrom', fs: 'iso9660', sizeBytes: GB, usedBytes: GB }, { mount: 'C:\\', fs: 'NTFS', sizeBytes: 100 * GB, usedBytes: null }] };
    expect(part(run({ hardware: cdrom }), 'disk_space')).toMatchObject({ score: null, detail: 'no volume sizes reported' });
    const mac = { disks: [], volumes: [{ mount: '/System/Volumes/VM', fs: 'apfs', sizeBytes: 100 * GB, usedBytes: 99 * GB }, { mount: '/System/Volumes/Data', fs: 'apfs', sizeBytes: 100 * GB, usedBytes: 60 * GB }] };
    expect(part(run({ hardware: mac }), 'disk_space')).toMatchObject({ score: 100, detail: '/System/Volumes/Data at 60 % used' });
  });

  it('stability: offline and event-log alerts of 30 days cost 20 each; alert frequency: every alert costs 10', () => {
    expect(part(run(), 'stability')).toMatchObject({ score: 100, detail: 'no offline or event-log alerts in the last 30 days' });
    expect(part(run({ stabilityAlerts: 2, alerts: 3 }), 'stability')).toMatchObject({ score: 60, detail: '2 offline or event-log alerts in the last 30 days' });
    expect(part(run({ stabilityAlerts: 6, alerts: 6 }), 'stability').score).toBe(0);
    expect(part(run(), 'alerts')).toMatchObject({ score: 100, detail: 'no alerts in the last 30 days' });
    expect(part(run({ alerts: 1 }), 'alerts')).toMatchObject({ score: 90, detail: '1 alert opened in the last 30 days' });
    expect(part(run({ alerts: 12 }), 'alerts').score).toBe(0);
  });

  it('warranty: beyond 180 days → 100, expiring → 100 down to 20, expired → 0, none → null', () => {
    expect(part(run(), 'warranty')).toMatchObject({ score: 100, detail: 'covered until 2028-01-31 (595 days)' });
    expect(part(run({ warrantyEnd: '2026-12-12' }), 'warranty')).toMatchObject({ score: 100, detail: 'warranty ends 2026-12-12 (180 days)' });
    expect(part(run({ warrantyEnd: '2026-09-13' }), 'warranty')).toMatchObject({ score: 60, detail: 'warranty ends 2026-09-13 (90 days)' });
    expect(part(run({ warrantyEnd: '2026-06-15' }), 'warranty')).toMatchObject({ score: 20, detail: 'warranty ends 2026-06-15 (0 days)' });
    expect(part(run({ warrantyEnd: '2025-03-01' }), 'warranty')).toMatchObject({ score: 0, detail: 'warranty ended 2025-03-01' });
    expect(part(run({ warrantyEnd: null, warrantyStart: null }), 'warranty')).toMatchObject({ score: null, weight: 0, detail: 'no warranty on record' });
  });

  it('OS support: supported → 100, ending within 180 days → 50, extended only → 25, past every end → 0, unknown → null', () => {
    expect(part(run(), 'os_eol')).toMatchObject({ score: 100, detail: 'Ubuntu 24.04 LTS supported until 2029-05-31' });
    const jammy = { platform: 'linux', name: 'Ubuntu', version: '22.04.4 LTS', build: 'jammy' };
    expect(part(run({ os: jammy }, 5, Date.parse('2027-01-01T00:00:00Z')), 'os_eol')).toMatchObject({ score: 50, detail: 'Ubuntu 22.04 LTS support ends 2027-04-01 (90 days)' });
    const win10 = { platform: 'win32', name: 'Microsoft Windows 10 Pro', version: '10.0.19045', build: '19045.5011' };
    expect(part(run({ os: win10 }), 'os_eol')).toMatchObject({ score: 25, detail: 'Windows 10 22H2 support ended 2025-10-14; extended support until 2028-10-10' });
    expect(part(run({ os: win10 }, 5, Date.parse('2029-01-01T00:00:00Z')), 'os_eol')).toMatchObject({ score: 0, detail: 'Windows 10 22H2 support ended 2028-10-10' });
    expect(part(run({ os: { platform: 'linux', name: 'Arch Linux', version: 'rolling', build: null } }), 'os_eol')).toMatchObject({
      score: null,
      detail: 'Arch Linux rolling is not in the end-of-life table',
    });
  });

  it('age: from the purchase date, else the earliest warranty start, else the firmware date; 2 years → 100 … replacement age → 0', () => {
    expect(run()).toMatchObject({ since: '2024-06-15', sinceSource: 'purchase', ageYears: 2 });
    expect(part(run(), 'age')).toMatchObject({ score: 100, detail: '2.0 years since purchase 2024-06-15' });
    expect(part(run({ purchaseDate: '2022-12-15' }), 'age').score).toBe(50);
    expect(part(run({ purchaseDate: '2021-06-15' }), 'age').score).toBe(0);
    expect(part(run({ purchaseDate: '2016-01-01' }), 'age').score).toBe(0);
    expect(run({ purchaseDate: null })).toMatchObject({ since: '2023-02-01', sinceSource: 'warranty', ageYears: 3.4 });
    expect(part(run({ purchaseDate: null }), 'age').detail).toBe('3.4 years since warranty start 2023-02-01');
    expect(run({ purchaseDate: null, warrantyStart: null })).toMatchObject({ since: '2023-11-20', sinceSource: 'firmware' });
    // A date that is no calendar day counts as absent.
    expect(run({ purchaseDate: '2025-02-30' })).toMatchObject({ since: '2023-02-01', sinceSource: 'warranty' });
    const unknown = run({ purchaseDate: null, warrantyStart: null, firmwareDate: null });
    expect(unknown).toMatchObject({ since: null, sinceSource: null, ageYears: null });
    expect(part(unknown, 'age')).toMatchObject({ score: null, detail: 'no purchase date, warranty start or firmware date' });
    // A short replacement age shortens the full-score span too.
    expect(part(run({ purchaseDate: '2024-06-01' }, 2), 'age').score).toBe(0);
    expect(part(run({ purchaseDate: '2025-03-15' }, 2), 'age').score).toBe(75);
    expect(part(run({ purchaseDate: '2025-12-15' }, 2), 'age').score).toBe(100);
  });
});

describe('the total', () => {
  it('weights sum to 1 and the score is their weighted mean', () => {
    const all = combine({
      smart: { score: 0, detail: '' },
      disk_space: { score: 100, detail: '' },
      stability: { score: 100, detail: '' },
      alerts: { score: 100, detail: '' },
      warranty: { score: 100, detail: '' },
      os_eol: { score: 100, detail: '' },
      age: { score: 100, detail: '' },
    });
    expect(all.components.reduce((s, c) => s + c.weight, 0)).toBeCloseTo(1, 6);
    expect(all.components.find((c) => c.key === 'smart')!.weight).toBe(0.2);
    expect(all.score).toBe(80);
  });

  it('components with nothing to judge drop out and the rest rescale', () => {
    const some = combine({
      smart: { score: null, detail: '' },
      disk_space: { score: null, detail: '' },
      stability: { score: 100, detail: '' },
      alerts: { score: 0, detail: '' },
      warranty: { score: null, detail: '' },
      os_eol: { score: null, detail: '' },
      age: { score: null, detail: '' },
    });
    // stability 0.15 and alerts 0.10 of 0.25: 60 % and 40 %.
    expect(some.components.map((c) => [c.key, c.weight])).toEqual([
      ['smart', 0], ['disk_space', 0], ['stability', 0.6], ['alerts', 0.4], ['warranty', 0], ['os_eol', 0], ['age', 0],
    ]);
    expect(some.score).toBe(60);
    const full = run();
    expect(full.components.every((c) => c.score !== null)).toBe(true);
    expect(full).toMatchObject({ score: 100, grade: 'A' });
    // No inventory: SMART and disk space drop out; a failing disk elsewhere cannot count.
    const bare = run({ hardware: null, stabilityAlerts: 5, alerts: 10 });
    expect(bare.components.filter((c) => c.weight > 0).map((c) => c.key)).toEqual(['stability', 'alerts', 'warranty', 'os_eol', 'age']);
    // (0·0.15 + 0·0.10 + 100·0.10 + 100·0.15 + 100·0.20) / 0.70 = 64.3
    expect(bare.score).toBe(64);
  });

  it('grades: A ≥ 90, B ≥ 75, C ≥ 60, D ≥ 40, F below', () => {
    expect([100, 90, 89, 75, 74, 60, 59, 40, 39, 0].map(gradeOf)).toEqual(['A', 'A', 'B', 'B', 'C', 'C', 'D', 'D', 'F', 'F']);
  });
});

describe('replacement forecast', () => {
  const since = { date: '2023-01-10', source: 'purchase' as const };

  it('a healthy device is due at its replacement age', () => {
    expect(forecast(since, 95, NOW, 5)).toEqual({ replaceBy: '2028-01-10', replaceReason: '5 years after purchase 2023-01-10' });
    expect(run()).toMatchObject({ replaceBy: '2029-06-15', replaceReason: '5 years after purchase 2024-06-15' });
    expect(run({}, 3)).toMatchObject({ replaceBy: '2027-06-15' });
  });

  it('never before today: a device past its replacement age is due now', () => {
    expect(forecast({ date: '2019-03-01', source: 'firmware' }, 80, NOW, 5)).toEqual({
      replaceBy: '2026-06-15',
      replaceReason: 'overdue: 5 years after firmware date 2019-03-01 was 2024-03-01',
    });
  });

  it('a poor grade brings it forward: D within 12 months, F now', () => {
    expect(forecast(since, 50, NOW, 5)).toEqual({
      replaceBy: '2027-06-15',
      replaceReason: 'health grade D (score 50): replace within 12 months, ahead of 2028-01-10 (5 years after purchase 2023-01-10)',
    });
    expect(forecast(since, 20, NOW, 5)).toEqual({
      replaceBy: '2026-06-15',
      replaceReason: 'health grade F (score 20): replace now, ahead of 2028-01-10 (5 years after purchase 2023-01-10)',
    });
    expect(forecast({ date: '2019-03-01', source: 'purchase' }, 20, NOW, 5)).toEqual({
      replaceBy: '2026-06-15',
      replaceReason: 'overdue: 5 years after purchase 2019-03-01 was 2024-03-01; health grade F (score 20)',
    });
    // Due earlier by age than by health: the age wins.
    expect(forecast({ date: '2021-09-01', source: 'purchase' }, 50, NOW, 5).replaceBy).toBe('2026-09-01');
  });

  it('without an age, only a poor grade forecasts', () => {
    expect(forecast(null, 95, NOW, 5)).toEqual({ replaceBy: null, replaceReason: 'age unknown: record a purchase date to forecast a replacement' });
    expect(forecast(null, 30, NOW, 5)).toEqual({ replaceBy: '2026-06-15', replaceReason: 'health grade F (score 30): replace now' });
  });
});

describe('dates', () => {
  it('adds months and years on the calendar, clamping to the month’s last day', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addYears('2024-02-29', 1)).toBe('2025-02-28');
    expect(addYears('2024-02-29', 4)).toBe('2028-02-29');
    expect(addMonths('2026-06-15', 12)).toBe('2027-06-15');
  });
});
