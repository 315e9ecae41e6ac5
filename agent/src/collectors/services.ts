import type { ServiceInfo } from '../../../protocol/device-state';
import { parsePsJson, runPowerShell } from '../powershell';
import { launchdServices, parseLaunchctlDisabled, parseLaunchctlList } from '../parsers/launchctl';
import { parseUnitFiles, parseUnitsJson, parseUnitsPlain, systemdServices } from '../parsers/systemd-units';
import { WINDOWS_SERVICES_SCRIPT, parseWindowsServices } from '../parsers/windows-services';
import { runProgram } from '../run-program';
import { systemdRunning } from '../service';

const SYSTEMCTL = ['--no-pager', '--no-legend'];

async function linux(): Promise<ServiceInfo[] | null> {
  // Without systemd as init (containers, other inits) systemctl has nothing to ask.
  if (!systemdRunning()) return null;
  let r = await runProgram('systemctl', ['list-units', '--type=service', '--all', '--output=json', ...SYSTEMCTL], { timeoutMs: 30_000 });
  let units = r.code === 0 ? parseUnitsJson(r.stdout) : null;
  if (!units) {
    // systemd before 246 has no JSON output.
    r = await runProgram('systemctl', ['list-units', '--type=service', '--all', '--plain', ...SYSTEMCTL], { timeoutMs: 30_000 });
    if (r.code !== 0) return null;
    units = parseUnitsPlain(r.stdout);
  }
  let files = await runProgram('systemctl', ['list-unit-files', '--type=service', '--output=json', ...SYSTEMCTL], { timeoutMs: 30_000 });
  if (files.code !== 0) files = await runProgram('systemctl', ['list-unit-files', '--type=service', '--plain', ...SYSTEMCTL], { timeoutMs: 30_000 });
  return systemdServices(units, files.code === 0 ? parseUnitFiles(files.stdout) : new Map());
}

async function windows(): Promise<ServiceInfo[] | null> {
  const r = await runPowerShell(WINDOWS_SERVICES_SCRIPT, { timeoutMs: 60_000 });
  return r.code === 0 ? parseWindowsServices(parsePsJson(r.stdout)) : null;
}

async function macos(): Promise<ServiceInfo[] | null> {
  const [list, disabled] = await Promise.all([
    runProgram('launchctl', ['list'], { timeoutMs: 30_000 }),
    runProgram('launchctl', ['print-disabled', 'system'], { timeoutMs: 30_000 }),
  ]);
  if (list.code !== 0) return null;
  return launchdServices(parseLaunchctlList(list.stdout), disabled.code === 0 ? parseLaunchctlDisabled(disabled.stdout) : new Set());
}

/** Every service the service manager knows, or null where it cannot be asked. */
export function collectServices(platform = process.platform): Promise<ServiceInfo[] | null> {
  if (platform === 'linux') return linux();
  if (platform === 'win32') return windows();
  if (platform === 'darwin') return macos();
  return Promise.resolve(null);
}
