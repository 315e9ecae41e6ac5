import type { ServiceInfo } from '../../../protocol/device-state';
import { asArray, psString } from '../powershell';

/** Selected so the JSON stays small and the field types do not depend on the PowerShell version. */
export const WINDOWS_SERVICES_SCRIPT = `
Get-CimInstance -ClassName Win32_Service |
  Select-Object Name, DisplayName, State, StartMode |
  ConvertTo-Json -Compress
`;

const STATE: Record<string, ServiceInfo['state']> = {
  running: 'running',
  stopped: 'stopped',
  'start pending': 'starting',
  'continue pending': 'starting',
  'stop pending': 'stopping',
  'pause pending': 'stopping',
};

const START_MODE: Record<string, ServiceInfo['startMode']> = {
  auto: 'auto',
  boot: 'auto',
  system: 'auto',
  manual: 'manual',
  disabled: 'disabled',
};

/** Win32_Service objects (Name, DisplayName, State, StartMode) as ConvertTo-Json prints them. */
export function parseWindowsServices(json: unknown): ServiceInfo[] {
  const out: ServiceInfo[] = [];
  for (const s of asArray(json)) {
    const name = psString(s.Name);
    if (!name) continue;
    const displayName = psString(s.DisplayName);
    out.push({
      name,
      ...(displayName ? { displayName } : {}),
      state: STATE[String(s.State ?? '').toLowerCase()] ?? 'other',
      startMode: START_MODE[String(s.StartMode ?? '').toLowerCase()] ?? 'other',
    });
  }
  return out.slice(0, 5000);
}
