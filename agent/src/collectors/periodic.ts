import { describeError, log } from '../log';

/**
 * Runs a task every `seconds`, never two at once: the next run is timed from the end of the
 * previous one, so a slow collection (a Windows Update search) delays itself instead of
 * piling up. Failures are logged and the schedule goes on.
 */
export class Periodic {
  private timer: NodeJS.Timeout | null = null;
  private seconds = 60;
  private running: Promise<void> | null = null;
  private active = false;

  constructor(
    readonly name: string,
    private readonly task: () => Promise<void>,
  ) {}

  /** Starts (or restarts) the schedule; the first run follows after `firstDelayMs`. */
  start(seconds: number, firstDelayMs = 0): void {
    this.seconds = seconds;
    this.active = true;
    this.schedule(firstDelayMs);
  }

  /** A new interval takes effect from the next run; a shorter one is not waited out. */
  setInterval(seconds: number): void {
    if (seconds === this.seconds) return;
    this.seconds = seconds;
    if (this.active && !this.running) this.schedule(seconds * 1000);
  }

  /** Runs now (unless already running) and resolves when that run ends. */
  runNow(): Promise<void> {
    if (this.running) return this.running;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.running = this.task()
      .catch((err) => log.warn(`${this.name}: ${describeError(err)}`))
      .finally(() => {
        this.running = null;
        if (this.active) this.schedule(this.seconds * 1000);
      });
    return this.running;
  }

  stop(): void {
    this.active = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.runNow(), delayMs);
    // Collectors alone must not keep a stopping agent alive.
    this.timer.unref();
  }
}
