import si from 'systeminformation';
import type { ProcessInfo } from '../../../protocol/device-state';

export const TOP_PROCESSES = 50;

type SiProcess = Pick<si.Systeminformation.ProcessesProcessData, 'pid' | 'name' | 'user' | 'cpu' | 'memRss' | 'command' | 'params'>;

const finite = (n: unknown) => (typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : 0);

/**
 * The busiest processes: by CPU, then by memory (most processes idle at 0 % CPU, so memory
 * decides the rest of the list). systeminformation measures CPU as the share used since its
 * previous call, which is what a technician expects from "top", not a lifetime average.
 */
export function topProcesses(list: readonly SiProcess[], limit = TOP_PROCESSES): ProcessInfo[] {
  return [...list]
    .filter((p) => Number.isInteger(p.pid) && p.pid >= 0 && p.name)
    .sort((a, b) => finite(b.cpu) - finite(a.cpu) || finite(b.memRss) - finite(a.memRss))
    .slice(0, limit)
    .map((p) => {
      const command = [p.command, p.params].filter(Boolean).join(' ').trim();
      return {
        pid: p.pid,
        name: String(p.name).slice(0, 255),
        ...(p.user ? { user: String(p.user).slice(0, 128) } : {}),
        cpuPercent: Math.min(100_000, Math.round(finite(p.cpu) * 10) / 10),
        // systeminformation reports resident memory in KiB.
        memBytes: finite(p.memRss) * 1024,
        ...(command ? { command: command.slice(0, 1024) } : {}),
      };
    });
}

export async function collectProcesses(): Promise<ProcessInfo[] | null> {
  const data = await si.processes().catch(() => null);
  return data ? topProcesses(data.list) : null;
}
