import { existsSync } from 'node:fs';
import type { StateData } from '../../../protocol/device-state';
import { findExecutable } from '../interpreters';
import { parseSmartDevice, parseSmartScan } from '../parsers/smartctl';
import { runProgram } from '../run-program';

/** smartctl is in sbin on Linux, under Homebrew on macOS, and off PATH by default on Windows. */
export function findSmartctl(platform = process.platform, env = process.env): string | null {
  const path = [env.PATH ?? env.Path, '/usr/local/sbin', '/usr/sbin', '/sbin', '/opt/homebrew/bin', '/usr/local/bin'].filter(Boolean).join(platform === 'win32' ? ';' : ':');
  const found = findExecutable('smartctl', { ...env, PATH: path }, platform);
  if (found) return found;
  const windowsDefault = 'C:\\Program Files\\smartmontools\\bin\\smartctl.exe';
  return platform === 'win32' && existsSync(windowsDefault) ? windowsDefault : null;
}

/** Every disk's SMART health; `available: false` when smartmontools is not installed. */
export async function collectSmart(smartctl = findSmartctl()): Promise<StateData<'smart'>> {
  if (!smartctl) return { available: false, disks: [] };
  const scan = await runProgram(smartctl, ['--scan-open', '-j'], { timeoutMs: 60_000 });
  const devices = parseSmartScan(scan.stdout);
  const disks = [];
  for (const d of devices) {
    // `-n standby`: a sleeping disk is not spun up just to be asked how it is.
    const args = ['-i', '-H', '-A', '-j', '-n', 'standby', ...(d.type ? ['-d', d.type] : []), d.name];
    const r = await runProgram(smartctl, args, { timeoutMs: 60_000 });
    disks.push(parseSmartDevice(d.name, r.stdout));
  }
  return { available: true, disks };
}
