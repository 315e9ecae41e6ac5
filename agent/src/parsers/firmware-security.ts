import type { HardwareInventory } from '../../../protocol/inventory';
import { asRecord, psBool, psNumber } from '../powershell';
import { known } from './hardware-values';

type Tpm = HardwareInventory['tpm'];

/*
 * TPM and Secure Boot as the platform tells them: Linux through sysfs and efivarfs, Windows
 * through one PowerShell query. null is "could not tell", false is "checked, and no".
 */

/** TPM 1.2 names its vendor in `caps` as a hex TCG vendor id ("Manufacturer: 0x49465800" = IFX). */
export function tpmVendorFromCaps(caps: string | null): string | null {
  const m = caps ? /^Manufacturer:\s*0x([0-9a-f]{8})/im.exec(caps) : null;
  if (!m) return null;
  const text = Buffer.from(m[1], 'hex').toString('latin1').replace(/[^\x20-\x7e]/g, '');
  return known(text, 64);
}

/** One /sys/class/tpm/tpmN entry; `major` is its tpm_version_major ("1" or "2"). */
export function linuxTpm(entry: { major: string | null; caps: string | null } | null): Tpm {
  if (!entry) return { present: false, version: null, manufacturer: null };
  const major = entry.major?.trim();
  const version = major === '2' ? '2.0' : major === '1' ? '1.2' : /TCG version:\s*1\.2/i.test(entry.caps ?? '') ? '1.2' : null;
  return { present: true, version, manufacturer: tpmVendorFromCaps(entry.caps) };
}

/** The SecureBoot EFI variable: four bytes of attributes, then one byte, 1 when enforcing. */
export function secureBootFromEfivar(bytes: Uint8Array | null): boolean | null {
  if (!bytes || bytes.length < 5) return null;
  return bytes[4] === 1;
}

/**
 * What the Windows script prints. Win32_Tpm answers no instance when there is no TPM (or it
 * is disabled in firmware); the query fails without administrator rights, which is "unknown".
 * UEFISecureBootEnabled is absent on a legacy BIOS boot, where Secure Boot cannot be on.
 */
export const WINDOWS_FIRMWARE_SCRIPT = [
  '$tpm = $null',
  'try {',
  "  $t = Get-CimInstance -Namespace 'root/cimv2/Security/MicrosoftTpm' -ClassName Win32_Tpm",
  '  $tpm = if ($t) { @{ present = $true; spec = [string]$t.SpecVersion; vendor = [string]$t.ManufacturerIdTxt } } else { @{ present = $false } }',
  '} catch { }',
  '$sb = $null',
  "$state = Get-ItemProperty -Path 'HKLM:\\SYSTEM\\CurrentControlSet\\Control\\SecureBoot\\State' -ErrorAction SilentlyContinue",
  "if ($state) { $sb = $state.UEFISecureBootEnabled } elseif (Test-Path 'HKLM:\\SYSTEM\\CurrentControlSet\\Control') { $sb = 0 }",
  "$cv = Get-ItemProperty -Path 'HKLM:\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion' -ErrorAction SilentlyContinue",
  '@{ tpm = $tpm; secureBoot = $sb; installDate = $cv.InstallDate } | ConvertTo-Json -Compress -Depth 3',
].join('\n');

export interface PlatformFacts {
  tpm: Tpm;
  secureBoot: boolean | null;
  /** Read by the platform itself where systeminformation's figures move with the charge; undefined: use those. */
  battery?: HardwareInventory['battery'];
  /** When the OS was installed, ms since the epoch. */
  osInstalledAt: number | null;
}

export const NO_FACTS: PlatformFacts = { tpm: null, secureBoot: null, osInstalledAt: null };

export function parseWindowsFirmware(json: unknown): PlatformFacts {
  const o = asRecord(json);
  if (!o) return NO_FACTS;
  const t = asRecord(o.tpm);
  const present = t ? psBool(t.present) : null;
  // SpecVersion: "2.0, 0, 1.38" — the first field is the TPM family.
  const spec = typeof t?.spec === 'string' ? (t.spec.split(',')[0]?.trim() ?? '') : '';
  const tpm: Tpm = present === null ? null : present ? { present: true, version: known(spec, 32), manufacturer: known(t!.vendor, 64) } : { present: false, version: null, manufacturer: null };
  const installSeconds = psNumber(o.installDate);
  return {
    tpm,
    secureBoot: psBool(o.secureBoot),
    osInstalledAt: installSeconds && installSeconds > 0 ? installSeconds * 1000 : null,
  };
}
