import type { SoftwareItem } from '../../../protocol/inventory';
import { asArray, psBool, psNumber, psString } from '../powershell';
import { softwareItem, softwareList } from './software-items';

/*
 * "Apps & features" comes from the uninstall keys: the machine's 64-bit and 32-bit views and
 * the current user's. Each entry is tagged with the view it came from, because the same product
 * can be installed once per architecture.
 */

export const WINDOWS_UNINSTALL_SCRIPT = `
$views = @(
  @{ Path = 'HKLM:\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\*'; View = 'machine' },
  @{ Path = 'HKLM:\\Software\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\*'; View = 'machine32' },
  @{ Path = 'HKCU:\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\*'; View = 'user' }
)
$rows = foreach ($v in $views) {
  Get-ItemProperty -Path $v.Path -ErrorAction SilentlyContinue |
    Where-Object { $_.DisplayName } |
    Select-Object DisplayName, DisplayVersion, Publisher, InstallDate, EstimatedSize, SystemComponent, ParentKeyName, ReleaseType, @{ n = 'View'; e = { $v.View } }
}
@($rows) | ConvertTo-Json -Compress
`;

/** Only the WOW6432Node view says something certain about the architecture. */
const ARCH: Record<string, string> = { machine32: 'x86' };

/** Updates and hotfixes of another product are not separate software. */
const UPDATE_TYPES = new Set(['update', 'hotfix', 'security update', 'update rollup', 'service pack']);

/** InstallDate is yyyymmdd by convention; some installers write other formats, which stay unknown. */
export function registryDate(value: unknown): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(String(value ?? '').trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  // Date.UTC rolls 20230231 over into March; such a date was never written on purpose.
  return new Date(ms).getUTCMonth() === mo - 1 && new Date(ms).getUTCDate() === d ? ms : null;
}

/** Uninstall entries as WINDOWS_UNINSTALL_SCRIPT prints them. */
export function parseWindowsUninstall(json: unknown): SoftwareItem[] {
  const rows = asArray(json).map((e) => {
    if (psBool(e.SystemComponent) === true || psString(e.ParentKeyName)) return null;
    if (UPDATE_TYPES.has((psString(e.ReleaseType) ?? '').toLowerCase())) return null;
    // EstimatedSize is a DWORD of KiB; a string or a negative number is an installer's mistake.
    const kib = psNumber(e.EstimatedSize);
    return softwareItem('windows_registry', {
      name: psString(e.DisplayName, 1000),
      version: psString(e.DisplayVersion, 1000),
      publisher: psString(e.Publisher, 1000),
      installedAt: registryDate(e.InstallDate),
      sizeBytes: kib === null ? null : kib * 1024,
      arch: ARCH[String(e.View)] ?? null,
    });
  });
  return softwareList(rows);
}
