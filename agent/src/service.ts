import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXIT_UNAUTHORIZED } from './exit-codes';
import {
  LAUNCHD_LABEL, LAUNCHD_PLIST_PATH, SYSTEMD_UNIT_NAME, SYSTEMD_UNIT_PATH, WINDOWS_SERVICE_NAME,
  launchdPlist, systemdUnit, windowsService, type ServiceSpec,
} from './service-files';

/** Thrown when the service cannot be managed here; main prints the message and exits 1. */
export class ServiceError extends Error {}

interface Step {
  command: string;
  args: string[];
}

export function serviceSpec(stateDir: string): ServiceSpec {
  return { node: process.execPath, bundle: fileURLToPath(import.meta.url), stateDir, unauthorizedExitCode: EXIT_UNAUTHORIZED };
}

/** systemd is the init system only if it set up its runtime directory (sd_booted(3)). */
export function systemdRunning(): boolean {
  return existsSync('/run/systemd/system');
}

function windowsWrapper(stateDir: string): string {
  return join(stateDir, 'tether-agent-service.exe');
}

function runSteps(steps: Step[]): void {
  for (const { command, args } of steps) {
    const r = spawnSync(command, args, { stdio: 'inherit', windowsHide: true });
    if (r.error) throw new ServiceError(`${command} could not be started: ${r.error.message}`);
    if (r.status !== 0) throw new ServiceError(`${command} ${args.join(' ')} failed (exit ${r.status})`);
  }
}

function requireAdmin(): void {
  if (process.platform !== 'win32' && process.getuid?.() !== 0) {
    throw new ServiceError('installing a system service needs root: run it with sudo');
  }
}

function plan(stateDir: string): { files: { path: string; content: string }[]; steps: Step[]; preflight(): void } {
  const spec = serviceSpec(stateDir);
  if (process.platform === 'linux') {
    return {
      files: [{ path: SYSTEMD_UNIT_PATH, content: systemdUnit(spec) }],
      steps: [
        { command: 'systemctl', args: ['daemon-reload'] },
        { command: 'systemctl', args: ['enable', '--now', SYSTEMD_UNIT_NAME] },
      ],
      preflight() {
        if (!systemdRunning()) {
          throw new ServiceError(
            'systemd is not running on this machine (no /run/systemd/system), so the agent cannot be installed as a ' +
              `systemd service. Start it with your init system or container supervisor instead:\n  ${spec.node} ${spec.bundle} run --state ${stateDir}`,
          );
        }
      },
    };
  }
  if (process.platform === 'darwin') {
    return {
      files: [{ path: LAUNCHD_PLIST_PATH, content: launchdPlist(spec) }],
      steps: [{ command: 'launchctl', args: ['bootstrap', 'system', LAUNCHD_PLIST_PATH] }],
      preflight() {},
    };
  }
  if (process.platform === 'win32') {
    const wrapper = windowsWrapper(stateDir);
    const win = windowsService(spec, wrapper);
    return {
      files: [{ path: wrapper.replace(/\.exe$/, '.xml'), content: win.wrapperXml }],
      steps: win.commands,
      preflight() {
        if (!existsSync(wrapper)) {
          throw new ServiceError(`place the WinSW service wrapper at ${wrapper} first (see the agent README)`);
        }
      },
    };
  }
  throw new ServiceError(`no service support for ${process.platform}`);
}

export function install(stateDir: string, dryRun: boolean, out: (line: string) => void): void {
  const p = plan(stateDir);
  if (dryRun) {
    try {
      p.preflight();
    } catch (err) {
      out(`# note: ${(err as Error).message.split('\n')[0]}`);
    }
    for (const f of p.files) out(`# would write ${f.path}\n${f.content}`);
    for (const s of p.steps) out(`# would run: ${s.command} ${s.args.join(' ')}`);
    return;
  }
  p.preflight();
  requireAdmin();
  for (const f of p.files) {
    mkdirSync(dirname(f.path), { recursive: true });
    writeFileSync(f.path, f.content, { mode: 0o644 });
    out(`wrote ${f.path}`);
  }
  runSteps(p.steps);
  out('service installed and started');
}

export function uninstall(stateDir: string, dryRun: boolean, out: (line: string) => void): void {
  const steps: Step[] =
    process.platform === 'linux'
      ? [{ command: 'systemctl', args: ['disable', '--now', SYSTEMD_UNIT_NAME] }]
      : process.platform === 'darwin'
        ? [{ command: 'launchctl', args: ['bootout', `system/${LAUNCHD_LABEL}`] }]
        : [
            { command: 'sc.exe', args: ['stop', WINDOWS_SERVICE_NAME] },
            { command: 'sc.exe', args: ['delete', WINDOWS_SERVICE_NAME] },
          ];
  const files =
    process.platform === 'linux' ? [SYSTEMD_UNIT_PATH] : process.platform === 'darwin' ? [LAUNCHD_PLIST_PATH] : [windowsWrapper(stateDir).replace(/\.exe$/, '.xml')];
  if (dryRun) {
    for (const s of steps) out(`# would run: ${s.command} ${s.args.join(' ')}`);
    for (const f of files) out(`# would remove ${f}`);
    return;
  }
  if (process.platform === 'linux' && !systemdRunning()) {
    out('systemd is not running on this machine: only removing the unit file');
  } else {
    requireAdmin();
    // A service that is already stopped makes some of these fail; removal goes on regardless.
    for (const s of steps) spawnSync(s.command, s.args, { stdio: 'inherit', windowsHide: true });
  }
  for (const f of files) {
    if (existsSync(f)) {
      rmSync(f);
      out(`removed ${f}`);
    }
  }
  if (process.platform === 'linux' && systemdRunning()) spawnSync('systemctl', ['daemon-reload'], { stdio: 'inherit' });
  out('service removed (the state directory and identity are kept)');
}

/** One word for `status`: how the service manager sees the agent. */
export function serviceState(): string {
  const query = (command: string, args: string[]) => spawnSync(command, args, { encoding: 'utf8', windowsHide: true, timeout: 5_000 });
  if (process.platform === 'linux') {
    if (!existsSync(SYSTEMD_UNIT_PATH)) return 'not installed';
    if (!systemdRunning()) return 'installed (systemd not running)';
    const r = query('systemctl', ['is-active', SYSTEMD_UNIT_NAME]);
    return `${(r.stdout ?? '').trim() || 'unknown'} (systemd)`;
  }
  if (process.platform === 'darwin') {
    if (!existsSync(LAUNCHD_PLIST_PATH)) return 'not installed';
    return query('launchctl', ['print', `system/${LAUNCHD_LABEL}`]).status === 0 ? 'loaded (launchd)' : 'installed, not loaded (launchd)';
  }
  if (process.platform === 'win32') {
    const r = query('sc.exe', ['query', WINDOWS_SERVICE_NAME]);
    if (r.status !== 0) return 'not installed';
    return /RUNNING/.test(r.stdout ?? '') ? 'running (Windows service)' : 'installed, not running (Windows service)';
  }
  return 'unknown';
}
