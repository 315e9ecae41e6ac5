import type { PowerParams } from '../../../protocol/command';
import { consoleUserName } from '../console-user';
import { describeError, log } from '../log';
import type { DataOutcome } from '../system/data-command';
import { cancelPower, schedulePower } from '../system/power';
import type { PatchStateFile } from './state';

/*
 * The reboot after patching is the OS's own scheduled shutdown (so users see its notice and
 * it happens even if the agent dies). Shortly before it is due the agent looks for a
 * signed-in user at the console: while one is there and deferrals remain, the reboot is
 * cancelled and announced again `noticeMinutes` later; after the last deferral it goes ahead.
 */

export interface RebootDeps {
  /** Schedules the reboot (tests pass a function that records instead). */
  power?: (p: PowerParams) => Promise<DataOutcome>;
  cancel?: () => Promise<DataOutcome>;
  consoleUser?: () => Promise<string | null>;
  now?: () => number;
}

/** How long before the reboot the agent looks for a user. */
const CHECK_AHEAD_MS = 30_000;

export function rebootNotice(message: string, at: number): string {
  // The machine's local time, 24-hour: the same on every locale the agent might run in.
  const d = new Date(at);
  const time = `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  const notice = `This computer will restart at ${time} to finish installing updates. Save your work.`;
  return (message ? `${message} ${notice}` : notice).slice(0, 500);
}

export class RebootPlanner {
  private timer: NodeJS.Timeout | null = null;
  private readonly power: (p: PowerParams) => Promise<DataOutcome>;
  private readonly cancel: () => Promise<DataOutcome>;
  private readonly consoleUser: () => Promise<string | null>;
  private readonly now: () => number;

  constructor(
    private readonly state: PatchStateFile,
    deps: RebootDeps = {},
  ) {
    this.power = deps.power ?? ((p) => schedulePower(p));
    this.cancel = deps.cancel ?? (() => cancelPower());
    this.consoleUser = deps.consoleUser ?? (() => consoleUserName());
    this.now = deps.now ?? Date.now;
  }

  /** Announces and schedules the reboot; resolves with when it is due. */
  async schedule(opts: { noticeMinutes: number; maxDeferrals: number; message: string }): Promise<number> {
    const dueAt = await this.announce(opts.noticeMinutes, opts.message);
    this.state.update({ reboot: { dueAt, deferrals: 0, maxDeferrals: opts.maxDeferrals, noticeMinutes: opts.noticeMinutes, message: opts.message } });
    this.arm();
    return dueAt;
  }

  /** After a restart: keeps watching a reboot still ahead, forgets one whose time has passed. */
  resume(): void {
    const pending = this.state.get().reboot;
    if (!pending) return;
    if (pending.dueAt <= this.now()) this.state.update({ reboot: null });
    else this.arm();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Runs the due-time check now (the timer calls it; tests too). */
  async check(): Promise<void> {
    const pending = this.state.get().reboot;
    if (!pending) return;
    const user = pending.noticeMinutes > 0 && pending.deferrals < pending.maxDeferrals ? await this.consoleUser().catch(() => null) : null;
    if (!user) {
      // Nobody to disturb, or no deferral left: the scheduled reboot goes ahead.
      log.info(`patch reboot proceeds${pending.deferrals ? ` after ${pending.deferrals} deferral(s)` : ''}`);
      this.state.update({ reboot: null });
      return;
    }
    const cancelled = await this.cancel();
    if (!cancelled.ok) {
      log.warn(`patch reboot could not be deferred (${cancelled.error}): it goes ahead`);
      this.state.update({ reboot: null });
      return;
    }
    try {
      const dueAt = await this.announce(pending.noticeMinutes, pending.message);
      log.info(`${user} is signed in: patch reboot deferred to ${new Date(dueAt).toISOString()} (${pending.deferrals + 1} of ${pending.maxDeferrals})`);
      this.state.update({ reboot: { ...pending, dueAt, deferrals: pending.deferrals + 1 } });
      this.arm();
    } catch (err) {
      log.error(`patch reboot could not be rescheduled: ${describeError(err)}`);
      this.state.update({ reboot: null });
    }
  }

  private async announce(noticeMinutes: number, message: string): Promise<number> {
    const at = this.now() + noticeMinutes * 60_000;
    const r = await this.power({ action: 'reboot', delaySeconds: noticeMinutes * 60, message: rebootNotice(message, at) });
    if (!r.ok) throw new Error(r.error);
    const json = r.json as { at?: unknown };
    return typeof json?.at === 'number' ? json.at : at;
  }

  private arm(): void {
    this.stop();
    const pending = this.state.get().reboot;
    if (!pending) return;
    const delay = Math.max(0, pending.dueAt - CHECK_AHEAD_MS - this.now());
    this.timer = setTimeout(() => void this.check().catch((err) => log.warn(`patch reboot check: ${describeError(err)}`)), delay);
    this.timer.unref();
  }
}
