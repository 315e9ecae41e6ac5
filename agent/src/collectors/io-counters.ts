import si from 'systeminformation';
import { readFile } from 'node:fs/promises';
import { parsePsJson, runPowerShell } from '../powershell';
import { parseDiskstats } from '../parsers/proc-diskstats';
import { parseProcNetDev, type NetCounters } from '../parsers/proc-net-dev';
import { WINDOWS_IO_SCRIPT, parseWindowsIo } from '../parsers/windows-io';

export interface IoCounters {
  disk: { readBytes: number; writeBytes: number } | null;
  net: NetCounters[];
}

/** Loopback and the host side of container veth pairs repeat traffic counted elsewhere. */
const SKIPPED_IFACE = /^(lo\d*|veth.*|Loopback.*|isatap\..*|Teredo.*)$/i;

export function relevantInterfaces(list: NetCounters[]): NetCounters[] {
  // Interfaces that never moved a byte (unplugged, tunnels never used) are noise on a chart.
  return list.filter((n) => !SKIPPED_IFACE.test(n.iface) && n.rxBytes + n.txBytes > 0).slice(0, 64);
}

async function linux(): Promise<IoCounters> {
  const [net, disk] = await Promise.all([
    readFile('/proc/net/dev', 'utf8').then(parseProcNetDev, () => []),
    readFile('/proc/diskstats', 'utf8').then(parseDiskstats, () => null),
  ]);
  return { disk, net };
}

async function macos(): Promise<IoCounters> {
  const [net, fs] = await Promise.all([si.networkStats('*').catch(() => []), si.fsStats().catch(() => null)]);
  return {
    disk: fs && Number.isFinite(fs.rx) && Number.isFinite(fs.wx) ? { readBytes: fs.rx, writeBytes: fs.wx } : null,
    net: net.map((n) => ({
      iface: String(n.iface).slice(0, 64),
      rxBytes: Number(n.rx_bytes) || 0,
      txBytes: Number(n.tx_bytes) || 0,
      errors: (Number(n.rx_errors) || 0) + (Number(n.tx_errors) || 0) + (Number(n.rx_dropped) || 0) + (Number(n.tx_dropped) || 0),
    })),
  };
}

async function windows(): Promise<IoCounters> {
  const r = await runPowerShell(WINDOWS_IO_SCRIPT, { timeoutMs: 20_000 });
  return r.code === 0 ? parseWindowsIo(parsePsJson(r.stdout)) : { disk: null, net: [] };
}

/** Cumulative disk and network counters; empty where the OS would not say. */
export async function readIoCounters(platform = process.platform): Promise<IoCounters> {
  const read = platform === 'linux' ? linux : platform === 'darwin' ? macos : platform === 'win32' ? windows : null;
  if (!read) return { disk: null, net: [] };
  const c = await read().catch(() => ({ disk: null, net: [] }));
  return { disk: c.disk, net: relevantInterfaces(c.net) };
}
