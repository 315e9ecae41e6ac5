/*
 * Turns cumulative OS counters (bytes read, bytes received, errors) into per-second rates
 * between two heartbeats. The first sample of a counter has nothing to compare with, and a
 * counter that went backwards was reset (reboot of a NIC driver, 32-bit wrap): both give
 * no rate rather than a nonsense one.
 */
export class RateTracker {
  private readonly prev = new Map<string, { value: number; at: number }>();

  /** Bytes (or events) per second since this key's previous value, or undefined. */
  rate(key: string, value: number, at: number): number | undefined {
    const before = this.prev.get(key);
    this.prev.set(key, { value, at });
    if (!before || !Number.isFinite(value)) return undefined;
    const seconds = (at - before.at) / 1000;
    if (seconds <= 0 || value < before.value) return undefined;
    return (value - before.value) / seconds;
  }

  /** Drops counters that no longer exist (an interface that went away). */
  keepOnly(keys: Iterable<string>): void {
    const live = new Set(keys);
    for (const key of this.prev.keys()) if (!live.has(key)) this.prev.delete(key);
  }
}
