import type { MetricsSample } from '../../protocol/metrics';
import { describeError, log } from './log';

/**
 * Sends a metrics sample every `seconds`, starting at once. A sample that takes longer than
 * the interval delays the next one instead of piling collections up.
 */
export class Heartbeat {
  private timer: NodeJS.Timeout | null = null;
  private seconds = 60;
  private seq = 0;
  private busy = false;
  private active = false;

  constructor(
    private readonly collect: () => Promise<MetricsSample>,
    private readonly send: (frame: { t: 'hb'; seq: number; m: MetricsSample }) => void,
  ) {}

  /** (Re)starts the schedule with a new interval and sends a sample now. */
  start(seconds: number): void {
    this.seconds = seconds;
    this.stop();
    this.active = true;
    void this.beat();
  }

  stop(): void {
    this.active = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private async beat(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const m = await this.collect();
      this.send({ t: 'hb', seq: this.seq++, m });
    } catch (err) {
      log.warn(`metrics collection failed: ${describeError(err)}`);
    } finally {
      this.busy = false;
    }
    if (!this.active) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.beat(), this.seconds * 1000);
  }
}
