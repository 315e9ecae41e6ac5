import * as v from 'valibot';
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../fs-atomic';
import { describeError, log } from '../log';

/*
 * What patching remembers across restarts: when the last scan ran (a restart does not scan
 * again within the interval) and a reboot announced after installing, with the deferrals
 * already taken (a restart neither forgets the reboot nor grants fresh deferrals).
 */

const PendingReboot = v.object({
  dueAt: v.number(),
  deferrals: v.pipe(v.number(), v.integer(), v.minValue(0)),
  maxDeferrals: v.pipe(v.number(), v.integer(), v.minValue(0)),
  noticeMinutes: v.pipe(v.number(), v.integer(), v.minValue(0)),
  message: v.string(),
});
export type PendingReboot = v.InferOutput<typeof PendingReboot>;

const Saved = v.object({
  lastScanAt: v.nullable(v.number()),
  reboot: v.nullable(PendingReboot),
});
export type PatchState = v.InferOutput<typeof Saved>;

export class PatchStateFile {
  private state: PatchState;

  constructor(private readonly path: string) {
    this.state = this.load();
  }

  get(): PatchState {
    return this.state;
  }

  update(change: Partial<PatchState>): void {
    this.state = { ...this.state, ...change };
    try {
      writeFileAtomic(this.path, JSON.stringify(this.state) + '\n', 0o600);
    } catch (err) {
      log.warn(`cannot save the patch state: ${describeError(err)}`);
    }
  }

  private load(): PatchState {
    try {
      const parsed = v.safeParse(Saved, JSON.parse(readFileSync(this.path, 'utf8')));
      if (parsed.success) return parsed.output;
      log.warn('patch state is damaged: scanning on the default schedule');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') log.warn(`patch state unreadable: ${describeError(err)}`);
    }
    return { lastScanAt: null, reboot: null };
  }
}
