import { afterEach, describe, expect, it, vi } from 'vitest';
import * as v from 'valibot';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PatchScan } from '../../protocol/patches';
import { FIRST_SCAN_DELAY_MS, nextScanDelay, SCAN_INTERVAL_MS } from '../src/patches/manager';
import { RebootPlanner } from '../src/patches/reboot';
import { scanPatches } from '../src/patches/scan';
import { PatchStateFile } from '../src/patches/state';
import { manager, SCAN, standInDirs, standIns } from './fixtures/patches/stand-ins';

afterEach(() => {
  vi.useRealTimers();
  standInDirs.splice(0).forEach((d) => d.remove());
});

describe('patch reboot deferral', () => {
  it('defers while a user is signed in, at most maxDeferrals times, remembering deferrals across restarts', async () => {
    const s = standIns();
    const state = new PatchStateFile(s.statePath);
    const planner = new RebootPlanner(state, s.rebootDeps('alice'));
    await planner.schedule({ noticeMinutes: 10, maxDeferrals: 2, message: '' });
    await planner.check();
    planner.stop();
    // A restarted agent reads the deferral count back.
    const again = new RebootPlanner(new PatchStateFile(s.statePath), s.rebootDeps('alice'));
    expect(new PatchStateFile(s.statePath).get().reboot).toMatchObject({ deferrals: 1, maxDeferrals: 2 });
    await again.check();
    await again.check();
    again.stop();
    const reboot = ['-r', '--', '+10', expect.stringContaining('This computer will restart at')];
    expect(s.shutdownCalls()).toEqual([reboot, ['-c'], reboot, ['-c'], reboot]);
    // The last deferral was used: the reboot went ahead and nothing is pending any more.
    expect(new PatchStateFile(s.statePath).get().reboot).toBeNull();
  });

  it('lets the reboot go ahead when nobody is signed in', async () => {
    const s = standIns();
    const planner = new RebootPlanner(new PatchStateFile(s.statePath), s.rebootDeps(null));
    await planner.schedule({ noticeMinutes: 5, maxDeferrals: 3, message: 'x' });
    await planner.check();
    planner.stop();
    expect(s.shutdownCalls().map((c) => c[0])).toEqual(['-r']);
  });
});

describe('patch scan limits', () => {
  it('keeps the most severe updates when a source lists more than a scan holds', async () => {
    const s = standIns();
    const line = (n: number, suite: string) => `Inst pkg${n} [1.0-1] (1.0-2 ${suite} [amd64])`;
    const lines = [...Array.from({ length: 2050 }, (_, n) => line(n, 'Debian:12.15/oldstable')), ...Array.from({ length: 100 }, (_, n) => line(5000 + n, 'Debian-Security:12/oldstable-security'))];
    writeFileSync(join(s.dir, 'sim.txt'), lines.join('\n') + '\n');
    const scan = v.parse(PatchScan, await scanPatches(s.ctx));
    expect(scan.items).toHaveLength(2000);
    expect(scan.items.filter((i) => i.classification === 'security')).toHaveLength(100);
    expect(scan.errors).toEqual(['150 more updates not listed (scan limit)']);
    expect(scan.rebootPending).toBe(false);
  });
});

describe('patch scan schedule', () => {
  it('jitters the interval by at most 10 % and never scans sooner than the start delay', () => {
    expect(nextScanDelay(null, 1e12, 0.3)).toBe(FIRST_SCAN_DELAY_MS);
    expect(nextScanDelay(1e12, 1e12, 0)).toBe(Math.round(SCAN_INTERVAL_MS * 0.9));
    expect(nextScanDelay(1e12, 1e12, 1)).toBe(Math.round(SCAN_INTERVAL_MS * 1.1));
    expect(nextScanDelay(1e12 - SCAN_INTERVAL_MS, 1e12, 0.5)).toBe(FIRST_SCAN_DELAY_MS);
    // A clock that went backwards does not postpone scanning for hours.
    expect(nextScanDelay(1e12 + 3600_000, 1e12, 0.5)).toBe(FIRST_SCAN_DELAY_MS);
  });

  it('scans two minutes after start, and a restart within the interval does not scan again', async () => {
    const s = standIns();
    const T = 1_900_000_000_000;
    let now = T;
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const first = manager(s, { now: () => now });
    first.m.start();
    expect(first.m.nextScanAt).toBe(T + FIRST_SCAN_DELAY_MS);
    vi.advanceTimersByTime(FIRST_SCAN_DELAY_MS - 1);
    expect(s.aptCalls()).toEqual([]);
    now = T + FIRST_SCAN_DELAY_MS;
    vi.advanceTimersByTime(1);
    vi.useRealTimers();
    await vi.waitFor(() => expect(first.frames).toHaveLength(1), { timeout: 10_000 });
    first.m.stop();
    expect(s.aptCalls()).toEqual([SCAN]);
    expect(v.parse(PatchScan, first.frames[0].scan).sources).toEqual(['apt']);
    expect(new PatchStateFile(s.statePath).get().lastScanAt).toBe(T + FIRST_SCAN_DELAY_MS);

    // Restarted an hour later: the next scan is six hours after the last one, not in two minutes.
    now = T + 3600_000;
    const second = manager(s, { now: () => now });
    second.m.start();
    expect(second.m.nextScanAt).toBe(T + FIRST_SCAN_DELAY_MS + SCAN_INTERVAL_MS);
    second.m.stop();

    // Restarted after the interval has passed: it scans soon.
    now = T + 7 * 3600_000;
    const third = manager(s, { now: () => now });
    third.m.start();
    expect(third.m.nextScanAt).toBe(now + FIRST_SCAN_DELAY_MS);
    third.m.stop();
    expect(s.aptCalls()).toEqual([SCAN]);
  });
});
