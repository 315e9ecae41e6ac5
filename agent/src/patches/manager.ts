import { packageManagerLock } from '../deploy/lock';
import type { PatchesFrame } from '../../../protocol/agent-frames';
import type { InstallPatchesParams, PatchScan } from '../../../protocol/patches';
import { describeError, log } from '../log';
import { defaultPatchContext, type PatchContext } from './context';
import { patchesFrame } from './frame';
import { installPatches, type InstallRun } from './install';
import { RebootPlanner, type RebootDeps } from './reboot';
import { scanPatches } from './scan';
import { PatchStateFile } from './state';

/*
 * Patch scans on a schedule and on demand, and installs. The first scan comes a little after
 * the agent starts (not in the boot rush), then every six hours with ±10 % jitter so a fleet
 * restarted together does not scan together; the time of the last scan is kept, so a restart
 * does not scan again early. Scans and installs never overlap: package managers hold locks.
 */

export const FIRST_SCAN_DELAY_MS = 2 * 60_000;
export const SCAN_INTERVAL_MS = 6 * 3600_000;

export interface PatchManagerDeps {
  statePath: string;
  /** Keeps the frame durable and sends it when connected. */
  emit(frame: Omit<PatchesFrame, 'fid'>): void;
  ctx?: PatchContext;
  scan?: () => Promise<PatchScan>;
  reboot?: RebootDeps;
  now?: () => number;
  random?: () => number;
}

/** When the next scheduled scan is due, given the last one. */
export function nextScanDelay(lastScanAt: number | null, now: number, random: number): number {
  const interval = SCAN_INTERVAL_MS * (0.9 + 0.2 * random);
  if (lastScanAt === null || lastScanAt > now) return FIRST_SCAN_DELAY_MS;
  return Math.round(Math.max(FIRST_SCAN_DELAY_MS, lastScanAt + interval - now));
}

export class PatchManager {
  readonly state: PatchStateFile;
  readonly reboot: RebootPlanner;
  readonly ctx: PatchContext;
  private readonly scanFn: () => Promise<PatchScan>;
  private readonly now: () => number;
  private readonly random: () => number;
  private timer: NodeJS.Timeout | null = null;
  private active = false;

  constructor(private readonly deps: PatchManagerDeps) {
    this.ctx = deps.ctx ?? defaultPatchContext();
    this.now = deps.now ?? Date.now;
    this.random = deps.random ?? Math.random;
    this.scanFn = deps.scan ?? (() => scanPatches(this.ctx, this.now));
    this.state = new PatchStateFile(deps.statePath);
    this.reboot = new RebootPlanner(this.state, { now: this.now, ...deps.reboot });
  }

  start(): void {
    this.active = true;
    this.reboot.resume();
    this.schedule();
  }

  stop(): void {
    this.active = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.reboot.stop();
  }

  /** When the next scheduled scan runs (ms since epoch), null when stopped. */
  nextScanAt: number | null = null;

  /** Scans now and sends the result; resolves with what was sent. */
  scanNow(): Promise<PatchScan> {
    return this.exclusive(() => this.scanAndSend());
  }

  install(p: InstallPatchesParams, stopped: () => boolean): Promise<InstallRun> {
    return this.exclusive(async () => {
      const run = await installPatches(p, { ctx: this.ctx, scan: this.scanFn, reboot: this.reboot, stopped, now: this.now });
      // The list after installing replaces the one the server holds.
      this.send(run.after);
      return run;
    });
  }

  private async scanAndSend(): Promise<PatchScan> {
    return this.send(await this.scanFn());
  }

  private send(scan: PatchScan): PatchScan {
    const frame = patchesFrame(scan);
    this.deps.emit(frame);
    this.state.update({ lastScanAt: scan.scannedAt });
    this.schedule();
    log.info(`patch scan: ${scan.items.length} missing update(s) from ${scan.sources.join(', ') || 'no source'}${scan.errors.length ? `; ${scan.errors.join('; ')}` : ''}`);
    return frame.scan;
  }

  /* The agent's one package-manager lock: a scan or install never overlaps a deployment either. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    return packageManagerLock.run(work);
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.nextScanAt = null;
    if (!this.active) return;
    const delay = nextScanDelay(this.state.get().lastScanAt, this.now(), this.random());
    this.nextScanAt = this.now() + delay;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.scanNow().catch((err) => log.warn(`patch scan: ${describeError(err)}`));
    }, delay);
    // The schedule alone must not keep a stopping agent alive.
    this.timer.unref();
  }
}
