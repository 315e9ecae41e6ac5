import { asArray, asRecord, psNumber, psString } from '../powershell';
import type { NetCounters } from './proc-net-dev';

/*
 * Windows exposes cumulative disk and network counters as raw performance counters:
 * Win32_PerfRawData_PerfDisk_PhysicalDisk (_Total) and Win32_PerfRawData_Tcpip_NetworkInterface.
 * Both "…PerSec" fields of the raw classes are running totals (PERF_COUNTER_BULK_COUNT); the
 * agent computes rates between samples like on the other systems.
 */
export const WINDOWS_IO_SCRIPT = `
$disk = Get-CimInstance -ClassName Win32_PerfRawData_PerfDisk_PhysicalDisk -Filter "Name='_Total'" |
  Select-Object DiskReadBytesPersec, DiskWriteBytesPersec
$net = Get-CimInstance -ClassName Win32_PerfRawData_Tcpip_NetworkInterface |
  Select-Object Name, BytesReceivedPersec, BytesSentPersec, PacketsReceivedErrors, PacketsOutboundErrors, PacketsReceivedDiscarded, PacketsOutboundDiscarded
[pscustomobject]@{ disk = $disk; net = @($net) } | ConvertTo-Json -Compress -Depth 3
`;

export function parseWindowsIo(json: unknown): { disk: { readBytes: number; writeBytes: number } | null; net: NetCounters[] } {
  const root = asRecord(json);
  const d = asRecord(root?.disk);
  const read = psNumber(d?.DiskReadBytesPersec);
  const write = psNumber(d?.DiskWriteBytesPersec);
  const net: NetCounters[] = [];
  for (const n of asArray(root?.net)) {
    const iface = psString(n.Name, 64);
    const rx = psNumber(n.BytesReceivedPersec);
    const tx = psNumber(n.BytesSentPersec);
    if (!iface || rx === null || tx === null) continue;
    const errors = ['PacketsReceivedErrors', 'PacketsOutboundErrors', 'PacketsReceivedDiscarded', 'PacketsOutboundDiscarded']
      .map((k) => psNumber(n[k]) ?? 0)
      .reduce((a, b) => a + b, 0);
    net.push({ iface, rxBytes: rx, txBytes: tx, errors });
  }
  return { disk: read !== null && write !== null ? { readBytes: read, writeBytes: write } : null, net };
}
