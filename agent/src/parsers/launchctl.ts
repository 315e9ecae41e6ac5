import type { ServiceInfo } from '../../../protocol/device-state';

export interface LaunchdJob {
  label: string;
  pid: number | null;
  /** Last exit status; negative is the signal that ended it. */
  status: number | null;
}

/** `launchctl list`: a `PID Status Label` header, then tab-separated rows ("-" for none). */
export function parseLaunchctlList(text: string): LaunchdJob[] {
  const out: LaunchdJob[] = [];
  for (const line of text.split('\n')) {
    const f = line.split('\t');
    if (f.length < 3 || f[0] === 'PID') continue;
    const label = f.slice(2).join('\t').trim();
    if (!label) continue;
    const pid = /^\d+$/.test(f[0].trim()) ? Number(f[0]) : null;
    const status = /^-?\d+$/.test(f[1].trim()) ? Number(f[1]) : null;
    out.push({ label, pid, status });
  }
  return out;
}

/** `launchctl print-disabled system`: `"label" => disabled` (older macOS: `=> true`). */
export function parseLaunchctlDisabled(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(/"([^"]+)"\s*=>\s*(disabled|true|enabled|false)/g)) {
    if (m[2] === 'disabled' || m[2] === 'true') out.add(m[1]);
  }
  return out;
}

/** A job with a pid runs; one that exited with an error code failed; the rest wait on demand. */
export function launchdServices(jobs: LaunchdJob[], disabled: Set<string>): ServiceInfo[] {
  return jobs.slice(0, 5000).map((j) => ({
    name: j.label.slice(0, 255),
    state: j.pid !== null ? 'running' : j.status !== null && j.status > 0 ? 'failed' : 'stopped',
    startMode: disabled.has(j.label) ? 'disabled' : 'other',
  }));
}

/**
 * `launchctl list <label>` prints the job as an old-style plist dictionary; a running job has
 * a `"PID" = 123;` line. lastExit is the exit code, or minus the signal that ended it.
 * Returns null when the text is not such a dictionary.
 */
export function parseLaunchctlJob(text: string): { running: boolean; pid: number | null; lastExit: number | null } | null {
  if (!/"Label"\s*=/.test(text)) return null;
  const pid = /"PID"\s*=\s*(\d+);/.exec(text);
  const exit = /"LastExitStatus"\s*=\s*(-?\d+);/.exec(text);
  // Here (unlike the table) the status is a raw wait(2) status: exit code in the high byte.
  const raw = exit ? Number(exit[1]) : null;
  const lastExit = raw === null || raw <= 0 ? raw : (raw & 0x7f) !== 0 ? -(raw & 0x7f) : raw >> 8;
  return { running: !!pid, pid: pid ? Number(pid[1]) : null, lastExit };
}
