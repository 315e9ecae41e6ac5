/*
 * Reconnect delays. A deploy or an edge restart drops every agent at once; full jitter
 * (a uniform delay between 0 and the exponential ceiling) spreads the reconnects out so the
 * fleet does not come back as one wave.
 */
export const BACKOFF_BASE_MS = 1_000;
export const BACKOFF_CAP_MS = 60_000;
/** A connection that lived this long was healthy: the next failure starts from the base. */
export const STABLE_CONNECTION_MS = 30_000;
/** Another connection took over this device (a cloned machine?): do not fight it. */
export const REPLACED_FLOOR_MS = 30_000;

/** The ceiling for the n-th consecutive failure (n ≥ 1): 1 s, 2 s, 4 s … capped at 60 s. */
export function backoffCeiling(attempt: number, baseMs = BACKOFF_BASE_MS, capMs = BACKOFF_CAP_MS): number {
  const n = Math.max(1, Math.floor(attempt));
  return Math.min(capMs, baseMs * 2 ** Math.min(n - 1, 30));
}

export class Backoff {
  private attempt = 0;

  constructor(private readonly random: () => number = Math.random) {}

  /** The delay before the next connection attempt. */
  next(opts: { replaced?: boolean } = {}): number {
    this.attempt++;
    const jittered = Math.floor(this.random() * backoffCeiling(this.attempt));
    return opts.replaced ? REPLACED_FLOOR_MS + jittered : jittered;
  }

  /** Called when a connection closes, with how long it had been open. */
  connectionEnded(openForMs: number): void {
    if (openForMs >= STABLE_CONNECTION_MS) this.attempt = 0;
  }

  get failures(): number {
    return this.attempt;
  }
}
