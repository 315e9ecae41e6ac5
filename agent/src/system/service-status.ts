import type { ServiceInfo } from '../../../protocol/device-state';
import { parseLaunchctlJob } from '../parsers/launchctl';
import { parseSystemctlShow, systemdState } from '../parsers/systemd-units';
import { runPowerShell } from '../powershell';
import { failure, runProgram } from '../run-program';
import { systemdRunning } from '../service';

export interface ServiceStatus {
  /** `missing`: no such service; `unknown`: the service manager could not be asked. */
  state: ServiceInfo['state'] | 'missing' | 'unknown';
  detail: string;
}

const WINDOWS_STATE: Record<string, ServiceInfo['state']> = {
  running: 'running',
  stopped: 'stopped',
  startpending: 'starting',
  continuepending: 'starting',
  stoppending: 'stopping',
  pausepending: 'stopping',
};

/** Get-Service's Status, or "missing" from the script below. */
export function windowsServiceState(text: string): ServiceStatus['state'] {
  const s = text.trim().toLowerCase();
  if (s === 'missing') return 'missing';
  return WINDOWS_STATE[s] ?? (s ? 'other' : 'unknown');
}

export const WINDOWS_SERVICE_STATUS_SCRIPT = `
$s = Get-Service -Name $env:TETHER_SERVICE_NAME -ErrorAction SilentlyContinue
if ($s) { [string]$s.Status } else { 'missing' }
`;

async function linux(name: string): Promise<ServiceStatus> {
  if (!systemdRunning()) return { state: 'unknown', detail: 'systemd is not running on this machine' };
  const r = await runProgram('systemctl', ['show', '--property=LoadState,ActiveState,SubState', '--', name], { timeoutMs: 30_000 });
  if (r.code !== 0) return { state: 'unknown', detail: failure(r, 'systemctl show') };
  const s = parseSystemctlShow(r.stdout);
  if (s.load === 'not-found') return { state: 'missing', detail: 'not installed' };
  return { state: systemdState(s.active), detail: `${s.active}${s.sub ? ` (${s.sub})` : ''}` };
}

async function windows(name: string): Promise<ServiceStatus> {
  const r = await runPowerShell(WINDOWS_SERVICE_STATUS_SCRIPT, { env: { TETHER_SERVICE_NAME: name }, timeoutMs: 30_000 });
  if (r.code !== 0) return { state: 'unknown', detail: failure(r, 'Get-Service') };
  const state = windowsServiceState(r.stdout);
  return { state, detail: r.stdout.trim() || state };
}

async function macos(name: string): Promise<ServiceStatus> {
  const r = await runProgram('launchctl', ['list', name], { timeoutMs: 30_000 });
  const job = r.code === 0 ? parseLaunchctlJob(r.stdout) : null;
  if (!job) return r.code === 0 || r.missing ? { state: 'unknown', detail: failure(r, 'launchctl list') } : { state: 'missing', detail: 'not loaded' };
  if (job.running) return { state: 'running', detail: `running (pid ${job.pid})` };
  const exit = job.lastExit ?? 0;
  const how = exit > 0 ? ` (last exit code ${exit})` : exit < 0 ? ` (last ended by signal ${-exit})` : '';
  return { state: exit > 0 ? 'failed' : 'stopped', detail: `not running${how}` };
}

/** One service's state; `name` is a validated service name passed as a single argument. */
export function serviceStatus(name: string, platform = process.platform): Promise<ServiceStatus> {
  if (platform === 'linux') return linux(name);
  if (platform === 'win32') return windows(name);
  if (platform === 'darwin') return macos(name);
  return Promise.resolve({ state: 'unknown', detail: `no service manager support on ${platform}` });
}
