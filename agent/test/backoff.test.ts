import { describe, expect, it } from 'vitest';
import { Backoff, BACKOFF_CAP_MS, REPLACED_FLOOR_MS, STABLE_CONNECTION_MS, backoffCeiling } from '../src/backoff';

describe('reconnect backoff', () => {
  it('doubles from 1 s and stops at 60 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 50].map((n) => backoffCeiling(n))).toEqual([
      1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000,
    ]);
  });

  it('draws every delay uniformly between 0 and the ceiling (full jitter)', () => {
    const top = new Backoff(() => 0.999999);
    const bottom = new Backoff(() => 0);
    for (let n = 1; n <= 12; n++) {
      const hi = top.next();
      expect(hi).toBeLessThan(backoffCeiling(n));
      expect(hi).toBeGreaterThanOrEqual(backoffCeiling(n) * 0.999);
      expect(bottom.next()).toBe(0);
    }
    const real = new Backoff();
    const samples = Array.from({ length: 2000 }, () => {
      const b = new Backoff();
      for (let i = 0; i < 9; i++) b.next();
      return b.next();
    });
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...samples)).toBeLessThan(BACKOFF_CAP_MS);
    // Spread, not a constant: a fleet reconnecting after an edge restart must not move in step.
    expect(new Set(samples).size).toBeGreaterThan(1000);
    const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
    expect(mean).toBeGreaterThan(BACKOFF_CAP_MS * 0.4);
    expect(mean).toBeLessThan(BACKOFF_CAP_MS * 0.6);
    expect(real.next()).toBeLessThan(1000);
  });

  it('starts over only after a stable connection', () => {
    const b = new Backoff(() => 0.999999);
    b.next();
    b.next();
    b.next();
    b.connectionEnded(STABLE_CONNECTION_MS - 1);
    expect(b.next()).toBeGreaterThanOrEqual(7990); // 4th failure: ceiling 8 s
    b.connectionEnded(STABLE_CONNECTION_MS);
    expect(b.next()).toBeLessThan(1000);
  });

  it('waits longer after being replaced by another connection', () => {
    const b = new Backoff(() => 0.5);
    expect(b.next({ replaced: true })).toBe(REPLACED_FLOOR_MS + 500);
    expect(new Backoff(() => 0).next({ replaced: true })).toBeGreaterThanOrEqual(REPLACED_FLOOR_MS);
  });
});
