import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import type { KillProcessParams } from '../../../protocol/command';
import { describeError } from '../log';
import { nameMatches, processById } from './process-names';

export interface KillOutcome {
  ok: boolean;
  message: string;
}

/** An exited child its parent has not reaped yet still has a pid: it is gone all the same. */
async function gone(pid: number, platform: NodeJS.Platform): Promise<boolean> {
  if (platform === 'linux') {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
    return stat === null || /\)\s+[ZX]\s/.test(stat);
  }
  return (await processById(pid, platform)) === null;
}

function signal(pid: number, force: boolean, platform: NodeJS.Platform): string | null {
  if (platform === 'win32') {
    // Without /F, taskkill asks the program to close (like its window's close button).
    const r = spawnSync('taskkill', ['/PID', String(pid), ...(force ? ['/F'] : [])], { encoding: 'utf8', windowsHide: true, timeout: 30_000 });
    return r.status === 0 ? null : (r.stderr || r.stdout || `taskkill exited ${r.status}`).trim().slice(0, 300);
  }
  try {
    process.kill(pid, force ? 'SIGKILL' : 'SIGTERM');
    return null;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM' ? 'permission denied' : describeError(err);
  }
}

/**
 * Ends one process. When the request names the process, a pid that now belongs to another
 * program (the original ended and the pid was reused) is refused rather than killed.
 */
export async function killProcess(
  p: KillProcessParams,
  { platform = process.platform, selfPid = process.pid, waitMs = 5_000 }: { platform?: NodeJS.Platform; selfPid?: number; waitMs?: number } = {},
): Promise<KillOutcome> {
  if (p.pid === selfPid) return { ok: false, message: `pid ${p.pid} is the Tether agent itself; refused` };
  const entry = await processById(p.pid, platform);
  if (entry === undefined) return { ok: false, message: 'cannot read the process list on this machine' };
  if (entry === null) return { ok: false, message: `no process with pid ${p.pid} (it may have ended already)` };
  const shown = entry.names[0];
  if (p.name && !nameMatches(entry, p.name, platform)) {
    return { ok: false, message: `pid ${p.pid} is now "${shown}", not "${p.name}": the pid was reused; refused` };
  }
  const how = platform === 'win32' ? (p.force ? 'taskkill /F' : 'taskkill') : p.force ? 'SIGKILL' : 'SIGTERM';
  const error = signal(p.pid, p.force, platform);
  if (error) return { ok: false, message: `could not end ${shown} (pid ${p.pid}) with ${how}: ${error}` };
  const deadline = Date.now() + waitMs;
  while (Date.now() < deadline) {
    if (await gone(p.pid, platform)) return { ok: true, message: `${shown} (pid ${p.pid}) ended after ${how}` };
    await new Promise((r) => setTimeout(r, 100));
  }
  return { ok: false, message: `${shown} (pid ${p.pid}) is still running ${waitMs / 1000} s after ${how}${p.force ? '' : '; try again with force'}` };
}
