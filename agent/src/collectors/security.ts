import type { SecurityState } from '../../../protocol/device-state';
import { parsePsJson, runPowerShell } from '../powershell';
import { parseFdesetup, parseSocketFilterFw, parseSoftwareUpdateList } from '../parsers/macos-security';
import { WINDOWS_SECURITY_SCRIPT, parseWindowsSecurity } from '../parsers/windows-security';
import { runProgram } from '../run-program';
import { linuxSecurity } from './security-linux';
import type { RebootTracker } from './reboot-since';

type Facts = Omit<SecurityState, 'rebootRequiredSince'> & { rebootSince?: number | null };

const UNKNOWN: Facts = {
  firewallEnabled: null,
  antivirus: { present: null, upToDate: null, enabled: null },
  diskEncryption: { encrypted: null },
  pendingUpdates: null,
  securityUpdates: null,
  rebootRequired: null,
};

async function windows(): Promise<Facts> {
  // The Windows Update search can take minutes on a machine that has not looked in a while.
  const r = await runPowerShell(WINDOWS_SECURITY_SCRIPT, { timeoutMs: 10 * 60_000 });
  return r.code === 0 ? parseWindowsSecurity(parsePsJson(r.stdout)) : UNKNOWN;
}

async function macos(): Promise<Facts> {
  const [fw, fde, su] = await Promise.all([
    runProgram('/usr/libexec/ApplicationFirewall/socketfilterfw', ['--getglobalstate'], { timeoutMs: 15_000 }),
    runProgram('fdesetup', ['status'], { timeoutMs: 15_000 }),
    // Asks Apple's servers: slow, and fine at the security collector's hourly pace.
    runProgram('softwareupdate', ['-l'], { timeoutMs: 5 * 60_000, env: { ...process.env, LC_ALL: 'C' } }),
  ]);
  const updates = su.code === 0 ? parseSoftwareUpdateList(su.stdout + su.stderr) : null;
  return {
    firewallEnabled: fw.code === 0 ? parseSocketFilterFw(fw.stdout) : null,
    // XProtect is built in and cannot be switched off; its signature age is not exposed.
    antivirus: { present: true, name: 'XProtect', enabled: true, upToDate: null },
    diskEncryption: fde.code === 0 ? parseFdesetup(fde.stdout) : { encrypted: null },
    pendingUpdates: updates?.pending ?? null,
    securityUpdates: updates?.security ?? null,
    // macOS keeps no "restart pending" flag outside an update that is mid-install.
    rebootRequired: null,
  };
}

export async function collectSecurity(reboot: RebootTracker, platform = process.platform, now = Date.now): Promise<SecurityState> {
  const facts: Facts =
    platform === 'linux' ? await linuxSecurity() : platform === 'win32' ? await windows() : platform === 'darwin' ? await macos() : UNKNOWN;
  const { rebootSince, ...state } = facts;
  return { ...state, rebootRequiredSince: reboot.update(state.rebootRequired, now(), rebootSince) };
}
