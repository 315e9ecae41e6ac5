import si from 'systeminformation';
import type { ProcessListResult } from '../../../protocol/command';
import { MAX_OUTPUT_BYTES } from '../../../protocol/limits';
import type { DataOutcome } from './data-command';

type SiProcess = Pick<si.Systeminformation.ProcessesProcessData, 'pid' | 'name' | 'user' | 'cpu' | 'memRss' | 'command' | 'params'>;
type Entry = ProcessListResult['processes'][number];

const MAX_COMMAND_CHARS = 1024;
/** Room left in the output cap for the JSON around the list. */
const LIST_BUDGET_BYTES = MAX_OUTPUT_BYTES - 4096;

const measured = (n: unknown) => (typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : null);

/**
 * Every process, busiest first. A machine with thousands of long command lines would not fit
 * the output cap, and a cut-off JSON document is useless: command lines are shortened first,
 * then the idlest processes are left out.
 */
export function toProcessList(list: readonly SiProcess[], budgetBytes = LIST_BUDGET_BYTES): ProcessListResult {
  const all: Entry[] = list
    .filter((p) => Number.isInteger(p.pid) && p.pid >= 0 && p.name)
    .map((p) => {
      const cpu = measured(p.cpu);
      const rssKiB = measured(p.memRss);
      const command = [p.command, p.params].filter(Boolean).join(' ').trim();
      return {
        pid: p.pid,
        name: String(p.name).slice(0, 255),
        user: p.user ? String(p.user).slice(0, 128) : null,
        cpuPercent: cpu === null ? null : Math.round(cpu * 10) / 10,
        // systeminformation reports resident memory in KiB.
        memBytes: rssKiB === null ? null : rssKiB * 1024,
        command: command ? command.slice(0, MAX_COMMAND_CHARS) : null,
      };
    })
    .sort((a, b) => (b.cpuPercent ?? 0) - (a.cpuPercent ?? 0) || (b.memBytes ?? 0) - (a.memBytes ?? 0) || a.pid - b.pid);
  const size = (ps: Entry[]) => Buffer.byteLength(JSON.stringify(ps));
  let processes = all;
  if (size(processes) > budgetBytes) processes = processes.map((p) => ({ ...p, command: p.command && p.command.slice(0, 120) }));
  while (processes.length > 0 && size(processes) > budgetBytes) processes = processes.slice(0, Math.floor(processes.length * 0.9));
  return { processes };
}

export async function processList(): Promise<DataOutcome> {
  const data = await si.processes().catch(() => null);
  if (!data) return { ok: false, error: 'cannot read the process list on this machine' };
  return { ok: true, json: toProcessList(data.list) };
}
