import { readFileSync } from 'node:fs';
import { hasIdentity, loadIdentity } from './identity';
import type { StatePaths } from './paths';
import { serviceState } from './service';
import { readRunStatus } from './status-file';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const when = (ms: number | null) => (ms ? new Date(ms).toISOString() : 'never');

/** The saved check config, described for a human (`run` verifies it; this only reads it). */
function checksLine(path: string): string {
  try {
    const cfg = JSON.parse((JSON.parse(readFileSync(path, 'utf8')) as { payload: string }).payload) as { version?: string; issuedAt?: number; checks?: unknown[] };
    return `${cfg.checks?.length ?? 0} agent check(s), config ${cfg.version} issued ${when(cfg.issuedAt ?? null)}`;
  } catch {
    return 'none received yet';
  }
}

/** What `status` prints; false when this machine is not enrolled. */
export function printStatus(paths: StatePaths, out: (line: string) => void): boolean {
  out(`state dir:  ${paths.dir}`);
  if (!hasIdentity(paths)) {
    out('enrolled:   no');
    return false;
  }
  const id = loadIdentity(paths);
  out('enrolled:   yes');
  out(`server:     ${id.server}`);
  out(`device:     ${id.deviceId}`);
  out(`tenant:     ${id.tenantId}`);
  out(`service:    ${serviceState()}`);
  out(`checks:     ${checksLine(paths.checks)}`);
  const run = readRunStatus(paths.status);
  if (!run) {
    out('agent:      has not run yet');
    return true;
  }
  const running = alive(run.pid) && run.state !== 'stopped' && run.state !== 'unauthorized';
  out(`agent:      ${running ? `running (pid ${run.pid}), ${run.state}` : `not running (last state: ${run.state})`} since ${when(run.updatedAt)}`);
  out(`connected:  last at ${when(run.lastConnectedAt)}`);
  if (run.lastError) out(`last error: ${run.lastError}${run.lastCloseCode ? ` (close code ${run.lastCloseCode})` : ''}`);
  return true;
}
