import type { PowerParams, PowerResult } from '../../../protocol/command';
import { describeError } from '../log';
import { firstLine, runProgram } from '../run-program';
import type { DataOutcome } from './data-command';
import { listProcesses } from './process-names';

export interface PowerStep {
  command: string;
  args: string[];
  /** When it will happen (ms since epoch). */
  at: number;
}

export interface PowerContext {
  platform?: NodeJS.Platform;
  /** The environment `shutdown` is looked up and run in (tests put a stand-in first on PATH). */
  env?: NodeJS.ProcessEnv;
  now?: number;
}

/** Windows says this when /a finds nothing to abort. */
const WINDOWS_NOTHING_PENDING = 1116;

/**
 * The `shutdown` argument vector. POSIX shutdown counts in whole minutes, so a delay is
 * rounded up (users get at least the time promised); `--` ends the options, so a message
 * beginning with "-" stays the message (systemd's shutdown would otherwise read "-k" as
 * "only warn, do not shut down").
 */
export function powerStep(p: PowerParams, platform: NodeJS.Platform, now: number): PowerStep {
  if (platform === 'win32') {
    const args = [p.action === 'reboot' ? '/r' : '/s', '/t', String(p.delaySeconds)];
    if (p.message) args.push('/c', p.message);
    return { command: 'shutdown', args, at: now + p.delaySeconds * 1000 };
  }
  const minutes = Math.ceil(p.delaySeconds / 60);
  const args = [p.action === 'reboot' ? '-r' : '-h', '--', minutes === 0 ? 'now' : `+${minutes}`];
  if (p.message) args.push(p.message);
  return { command: 'shutdown', args, at: now + minutes * 60_000 };
}

function failed(what: string, r: Awaited<ReturnType<typeof runProgram>>): DataOutcome {
  const said = firstLine(r.stderr) || firstLine(r.stdout);
  const error = r.error ?? `${what} failed (exit ${r.code})${said ? `: ${said}` : ''}`;
  return { ok: false, error, exitCode: r.code, stderr: r.stderr || r.stdout };
}

/** Schedules the reboot or shutdown; the result says when it will happen. */
export async function schedulePower(p: PowerParams, ctx: PowerContext = {}): Promise<DataOutcome> {
  const platform = ctx.platform ?? process.platform;
  const step = powerStep(p, platform, ctx.now ?? Date.now());
  const r = await runProgram(step.command, step.args, { env: ctx.env ?? process.env, timeoutMs: 30_000 });
  if (r.code !== 0) return failed(`shutdown ${step.args.join(' ')}`, r);
  const result: PowerResult = { action: p.action, at: step.at, message: p.message };
  return { ok: true, json: result };
}

/** macOS shutdown waits in a process of its own until the time comes; ending it cancels. */
async function cancelMacos(): Promise<DataOutcome> {
  const list = await listProcesses('darwin');
  if (!list) return { ok: false, error: 'cannot read the process list on this machine' };
  const pending = list.filter((e) => e.names.includes('shutdown'));
  for (const e of pending) {
    try {
      process.kill(e.pid, 'SIGTERM');
    } catch (err) {
      return { ok: false, error: `could not end the pending shutdown (pid ${e.pid}): ${describeError(err)}` };
    }
  }
  const result: PowerResult = { action: 'cancel', at: null, message: pending.length ? 'cancelled the pending shutdown' : 'no shutdown was pending' };
  return { ok: true, json: result };
}

/** Cancels a scheduled reboot or shutdown. */
export async function cancelPower(ctx: PowerContext = {}): Promise<DataOutcome> {
  const platform = ctx.platform ?? process.platform;
  if (platform === 'darwin') return cancelMacos();
  const args = platform === 'win32' ? ['/a'] : ['-c'];
  const r = await runProgram('shutdown', args, { env: ctx.env ?? process.env, timeoutMs: 30_000 });
  if (platform === 'win32' && r.code === WINDOWS_NOTHING_PENDING) {
    const nothing: PowerResult = { action: 'cancel', at: null, message: 'no shutdown was pending' };
    return { ok: true, json: nothing };
  }
  if (r.code !== 0) return failed(`shutdown ${args.join(' ')}`, r);
  const result: PowerResult = { action: 'cancel', at: null, message: 'cancelled any pending shutdown or reboot' };
  return { ok: true, json: result };
}
