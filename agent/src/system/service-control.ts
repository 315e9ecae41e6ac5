import { existsSync } from 'node:fs';
import type { ServiceParams } from '../../../protocol/command';
import { powershellArgs } from '../powershell';
import { runProgram } from '../run-program';
import { systemdRunning } from '../service';

export interface ControlStep {
  command: string;
  args: string[];
  env?: Record<string, string>;
}

/*
 * Start, stop or restart one service. Each platform's tool gets an argument vector; the name
 * was validated by the protocol (no leading "-", no path separators) and is still placed
 * where it cannot be read as an option (after "--" for systemctl, inside a domain target for
 * launchctl, in an environment variable for PowerShell).
 */

export const WINDOWS_CONTROL_SCRIPT = `
$name = $env:TETHER_SERVICE_NAME
switch ($env:TETHER_SERVICE_ACTION) {
  'start' { Start-Service -Name $name }
  'stop' { Stop-Service -Name $name }
  'restart' { Restart-Service -Name $name }
}
`;

export function linuxControl(p: ServiceParams): ControlStep {
  return { command: 'systemctl', args: [p.action, '--', p.name] };
}

export function windowsControl(p: ServiceParams): ControlStep {
  return { command: 'powershell.exe', args: powershellArgs(WINDOWS_CONTROL_SCRIPT), env: { TETHER_SERVICE_NAME: p.name, TETHER_SERVICE_ACTION: p.action } };
}

/**
 * launchd: `kickstart` starts a loaded job (`-k` kills it first: a restart); `bootout`
 * unloads it, which is the only stop that sticks for a KeepAlive job. A job unloaded that
 * way is started again by bootstrapping its plist.
 */
export function macosControl(p: ServiceParams, loaded: boolean, plist: string | null): ControlStep {
  const target = `system/${p.name}`;
  if (p.action === 'stop') return { command: 'launchctl', args: ['bootout', target] };
  if (!loaded && plist) return { command: 'launchctl', args: ['bootstrap', 'system', plist] };
  return { command: 'launchctl', args: p.action === 'restart' ? ['kickstart', '-k', target] : ['kickstart', target] };
}

/** The step to run, or why it cannot run here. */
export async function controlStep(p: ServiceParams, platform = process.platform): Promise<ControlStep | { error: string }> {
  if (platform === 'linux') return systemdRunning() ? linuxControl(p) : { error: 'systemd is not running on this machine' };
  if (platform === 'win32') return windowsControl(p);
  if (platform === 'darwin') {
    const loaded = (await runProgram('launchctl', ['print', `system/${p.name}`], { timeoutMs: 30_000 })).code === 0;
    const plist = `/Library/LaunchDaemons/${p.name}.plist`;
    return macosControl(p, loaded, existsSync(plist) ? plist : null);
  }
  return { error: `no service manager support on ${platform}` };
}

/** Runs the step quietly (the service check's automatic restart); true when it exited 0. */
export async function controlService(p: ServiceParams, platform = process.platform): Promise<{ ok: boolean; error?: string }> {
  const step = await controlStep(p, platform);
  if ('error' in step) return { ok: false, error: step.error };
  const r = await runProgram(step.command, step.args, { timeoutMs: 120_000, env: { ...process.env, ...step.env } });
  if (r.code === 0) return { ok: true };
  const said = (r.stderr || r.stdout).trim().split('\n').filter(Boolean).pop();
  return { ok: false, error: r.error ?? `exit ${r.code}${said ? `: ${said.slice(0, 300)}` : ''}` };
}
