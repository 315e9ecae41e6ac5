import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { batteryFromUevent } from '../parsers/battery-linux';
import { linuxTpm, NO_FACTS, parseWindowsFirmware, secureBootFromEfivar, WINDOWS_FIRMWARE_SCRIPT, type PlatformFacts } from '../parsers/firmware-security';
import { parsePsJson, runPowerShell } from '../powershell';

/*
 * The few facts systeminformation does not give (the TPM, Secure Boot, when the OS was
 * installed) or gives unsteadily (a Linux battery's capacity). Each is a few file reads or
 * one short query; anything unreadable is unknown.
 */

const SECURE_BOOT_VAR = 'SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c';

const readText = (path: string): string | null => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
};

function linuxTpmFacts(root: string): PlatformFacts['tpm'] {
  const dir = join(root, 'sys/class/tpm');
  // No tpm class at all: the kernel has no TPM support loaded, so nothing can be said.
  if (!existsSync(dir)) return null;
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /^tpm\d+$/.test(n)).sort();
  } catch {
    return null;
  }
  if (!names.length) return linuxTpm(null);
  const base = join(dir, names[0]);
  return linuxTpm({ major: readText(join(base, 'tpm_version_major')), caps: readText(join(base, 'caps')) ?? readText(join(base, 'device/caps')) });
}

function linuxSecureBoot(root: string): boolean | null {
  const efi = join(root, 'sys/firmware/efi');
  if (!existsSync(efi)) {
    // sysfs shows firmware but no EFI: a legacy BIOS boot, where Secure Boot cannot be on.
    return existsSync(join(root, 'sys/firmware/acpi')) || existsSync(join(root, 'sys/firmware/dmi')) ? false : null;
  }
  try {
    return secureBootFromEfivar(readFileSync(join(efi, 'efivars', SECURE_BOOT_VAR)));
  } catch (err) {
    // UEFI without the variable: firmware that has no Secure Boot.
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? false : null;
  }
}

function linuxBattery(root: string): PlatformFacts['battery'] {
  const dir = join(root, 'sys/class/power_supply');
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return undefined;
  }
  for (const name of names) {
    const text = readText(join(dir, name, 'uevent'));
    const battery = text === null ? null : batteryFromUevent(text);
    if (battery) return battery;
  }
  return null;
}

/** The earliest trace an installer leaves: its log directory, or the root filesystem's lost+found. */
function firstExisting(paths: string[]): number | null {
  for (const p of paths) {
    try {
      const s = statSync(p);
      const t = s.birthtimeMs > 0 ? s.birthtimeMs : s.mtimeMs;
      if (t > 0) return Math.round(t);
    } catch {
      // not there: try the next
    }
  }
  return null;
}

export async function platformFacts(platform: NodeJS.Platform = process.platform, root = '/'): Promise<PlatformFacts> {
  if (platform === 'linux') {
    return {
      tpm: linuxTpmFacts(root),
      secureBoot: linuxSecureBoot(root),
      battery: linuxBattery(root),
      osInstalledAt: firstExisting([join(root, 'var/log/installer'), join(root, 'lost+found')]),
    };
  }
  if (platform === 'darwin') {
    // Macs have no TPM (the Secure Enclave is another thing) and their boot security is not UEFI Secure Boot.
    return { ...NO_FACTS, osInstalledAt: firstExisting(['/var/db/.AppleSetupDone']) };
  }
  if (platform === 'win32') {
    const r = await runPowerShell(WINDOWS_FIRMWARE_SCRIPT, { timeoutMs: 30_000 });
    return r.code === 0 ? parseWindowsFirmware(parsePsJson(r.stdout)) : NO_FACTS;
  }
  return NO_FACTS;
}
