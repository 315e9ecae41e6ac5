import type { SecurityState } from '../../../protocol/device-state';
import { asArray, asRecord, psBool, psNumber, psString } from '../powershell';

/*
 * One PowerShell run gathers every Windows security fact as JSON; each part is parsed on its
 * own so one missing module (no BitLocker on Home editions, no Security Center on Server)
 * only blanks its own field. Enums are cast to strings in the script because ConvertTo-Json
 * writes them as numbers on 5.1; the parsers accept both.
 */
export const WINDOWS_SECURITY_SCRIPT = `
$ErrorActionPreference = 'Continue'
$out = [ordered]@{}
try { $out.mp = Get-MpComputerStatus -ErrorAction Stop | Select-Object AMServiceEnabled, AntivirusEnabled, RealTimeProtectionEnabled, AntivirusSignatureAge, DefenderSignaturesOutOfDate, @{n='AMRunningMode';e={[string]$_.AMRunningMode}} } catch { $out.mp = $null }
try { $out.av = @(Get-CimInstance -Namespace root/SecurityCenter2 -ClassName AntiVirusProduct -ErrorAction Stop | Select-Object displayName, productState) } catch { $out.av = $null }
try { $out.fw = @(Get-NetFirewallProfile -ErrorAction Stop | Select-Object Name, @{n='Enabled';e={[string]$_.Enabled}}) } catch { $out.fw = $null }
try { $out.bl = Get-BitLockerVolume -MountPoint $env:SystemDrive -ErrorAction Stop | Select-Object MountPoint, @{n='VolumeStatus';e={[string]$_.VolumeStatus}}, @{n='ProtectionStatus';e={[string]$_.ProtectionStatus}}, EncryptionPercentage } catch { $out.bl = $null }
try {
  $result = (New-Object -ComObject Microsoft.Update.Session).CreateUpdateSearcher().Search("IsInstalled=0 and IsHidden=0 and Type='Software'")
  $security = 0
  foreach ($u in $result.Updates) { foreach ($c in $u.Categories) { if ($c.CategoryID -eq '0fa1201d-4330-4fa8-8ae9-b877473b6441') { $security++; break } } }
  $out.updates = @{ count = $result.Updates.Count; security = $security }
} catch { $out.updates = $null }
$out.reboot = (Test-Path 'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WindowsUpdate\\Auto Update\\RebootRequired') -or (Test-Path 'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\RebootPending')
[pscustomobject]$out | ConvertTo-Json -Compress -Depth 4
`;

type Antivirus = SecurityState['antivirus'];

/** Defender's own status (Get-MpComputerStatus); null when Defender is not there at all. */
export function parseMpStatus(value: unknown): Antivirus | null {
  const mp = asRecord(value);
  if (!mp) return null;
  const service = psBool(mp.AMServiceEnabled);
  const av = psBool(mp.AntivirusEnabled);
  const realtime = psBool(mp.RealTimeProtectionEnabled);
  // With another product registered, Defender steps back to passive mode: present, not protecting.
  const passive = /passive|edr block/i.test(String(mp.AMRunningMode ?? ''));
  const outOfDate = psBool(mp.DefenderSignaturesOutOfDate);
  const age = psNumber(mp.AntivirusSignatureAge);
  return {
    present: service ?? true,
    name: 'Microsoft Defender Antivirus',
    enabled: passive ? false : service === false || av === false || realtime === false ? false : service && av && realtime ? true : null,
    upToDate: outOfDate !== null ? !outOfDate : age !== null ? age <= 7 : null,
  };
}

/**
 * Security Center's products (client Windows only). productState packs flags as hex: the
 * third nibble from the right (bits 12-15) is 1 when real-time scanning is on, the second
 * (bits 4-7) is 0 when signatures are current.
 */
export function parseSecurityCenterAv(value: unknown): { name: string; enabled: boolean; upToDate: boolean }[] | null {
  if (value === null || value === undefined) return null;
  return asArray(value).flatMap((p) => {
    const state = psNumber(p.productState);
    const name = psString(p.displayName);
    if (state === null || !name) return [];
    return [{ name, enabled: ((state >> 12) & 0xf) === 1, upToDate: ((state >> 4) & 0xf) === 0 }];
  });
}

/** Prefers a product that is switched on, and a third-party one over Defender (which then idles). */
export function windowsAntivirus(mpValue: unknown, scValue: unknown): Antivirus {
  const mp = parseMpStatus(mpValue);
  const sc = parseSecurityCenterAv(scValue);
  if (sc && sc.length) {
    const isDefender = (n: string) => /defender/i.test(n);
    const pick = sc.find((p) => p.enabled && !isDefender(p.name)) ?? sc.find((p) => p.enabled) ?? sc[0];
    if (isDefender(pick.name) && mp) return mp;
    return { present: true, name: pick.name.slice(0, 255), enabled: pick.enabled, upToDate: pick.upToDate };
  }
  if (mp) return mp;
  // Security Center answered with no product at all: nothing is registered.
  return { present: sc ? false : null, upToDate: null, enabled: null };
}

/** Get-NetFirewallProfile: on only if every profile (Domain, Private, Public) is on. */
export function parseFirewallProfiles(value: unknown): boolean | null {
  if (value === null || value === undefined) return null;
  const states = asArray(value).map((p) => psBool(p.Enabled));
  if (!states.length || states.some((s) => s === null)) return null;
  return states.every(Boolean);
}

const VOLUME_STATUS = ['FullyDecrypted', 'FullyEncrypted', 'EncryptionInProgress', 'DecryptionInProgress', 'EncryptionPaused', 'DecryptionPaused'];
const PROTECTION = ['Off', 'On', 'Unknown'];
const enumText = (v: unknown, names: string[]) => (typeof v === 'number' ? (names[v] ?? String(v)) : String(v ?? ''));

/**
 * Get-BitLockerVolume for the system drive. Only protection "On" counts: a fully encrypted
 * volume with protection suspended keeps its key in the clear on disk.
 */
export function parseBitLocker(value: unknown): SecurityState['diskEncryption'] {
  const bl = asRecord(value);
  if (!bl) return { encrypted: null };
  const status = enumText(bl.VolumeStatus, VOLUME_STATUS);
  const protection = enumText(bl.ProtectionStatus, PROTECTION);
  const pct = psNumber(bl.EncryptionPercentage);
  const drive = psString(bl.MountPoint, 16) ?? 'system drive';
  const detail = `BitLocker on ${drive}: ${status}${pct !== null && pct < 100 && pct > 0 ? ` (${pct}%)` : ''}, protection ${protection}`;
  if (protection === 'On') return { encrypted: true, detail };
  if (protection === 'Off') return { encrypted: false, detail };
  return { encrypted: null, detail };
}

/** The whole script's output, minus the reboot time the collector tracks itself. */
export function parseWindowsSecurity(json: unknown): Omit<SecurityState, 'rebootRequiredSince'> {
  const root = asRecord(json) ?? {};
  const updates = asRecord(root.updates);
  const count = psNumber(updates?.count);
  const security = psNumber(updates?.security);
  return {
    firewallEnabled: parseFirewallProfiles(root.fw),
    antivirus: windowsAntivirus(root.mp, root.av),
    diskEncryption: parseBitLocker(root.bl),
    pendingUpdates: count !== null ? Math.max(0, Math.floor(count)) : null,
    securityUpdates: security !== null ? Math.max(0, Math.floor(security)) : null,
    rebootRequired: psBool(root.reboot),
  };
}
