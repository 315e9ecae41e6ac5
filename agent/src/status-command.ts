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
