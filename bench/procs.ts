import { readFileSync, readdirSync } from 'node:fs';
import type { RuntimeUsage } from './result';

/*
 * Memory and CPU of the runtime under test, read from /proc: the processes that serve the
 * platform are children (or grandchildren) of what the bench started, found by walking the
 * parent links rather than by name, so other people's processes on the machine never count.
 */

const TICKS_PER_SECOND = 100;

export interface ProcInfo {
  pid: number;
  ppid: number;
  comm: string;
  rssBytes: number;
  /** user + system CPU time, seconds. */
  cpuSeconds: number;
}

function readProc(pid: number): ProcInfo | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm may hold spaces and parentheses: split after the last ')'.
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const fields = stat.slice(close + 2).split(' ');
    const ppid = Number(fields[1]);
    const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return { pid, ppid, comm, rssBytes: rssKb * 1024, cpuSeconds };
  } catch {
    return null;
  }
}

/** `root` and all its descendants that are still alive. */
export function processTree(root: number): ProcInfo[] {
  const all = new Map<number, ProcInfo>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const info = readProc(Number(name));
    if (info) all.set(info.pid, info);
  }
  const children = new Map<number, ProcInfo[]>();
  for (const p of all.values()) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const out: ProcInfo[] = [];
  const walk = (pid: number) => {
    const p = all.get(pid);
    if (p) out.push(p);
    for (const c of children.get(pid) ?? []) if (c.pid !== pid) walk(c.pid);
  };
  walk(root);
  return out;
}

export function self(): ProcInfo | null {
  return readProc(process.pid);
}

/**
 * Samples a target's processes while a step runs: the peak RSS of those `counts` accepts as
 * the runtime (e.g. the workerd children), and the CPU every one of them used.
 */
export class ProcWatch {
  private peakRss = 0;
  private readonly cpuAtStart = new Map<number, number>();
  private last: ProcInfo[] = [];
  private timer: NodeJS.Timeout | null = null;
  private simCpuStart = self()?.cpuSeconds ?? 0;

  constructor(
    private readonly pick: () => ProcInfo[],
    private readonly counts: (p: ProcInfo) => boolean,
  ) {}

  start(intervalMs = 1000): void {
    this.simCpuStart = self()?.cpuSeconds ?? 0;
    for (const p of this.pick()) this.cpuAtStart.set(p.pid, p.cpuSeconds);
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  sample(): void {
    this.last = this.pick();
    const total = this.runtimeRss();
    this.peakRss = Math.max(this.peakRss, total);
  }

  private runtimeRss(): number {
    return this.last.filter(this.counts).reduce((s, p) => s + p.rssBytes, 0);
  }

  stop(): RuntimeUsage {
    if (this.timer) clearInterval(this.timer);
    this.sample();
    return {
      peakRssBytes: this.peakRss,
      endRssBytes: this.runtimeRss(),
      processes: this.last.map((p) => ({
        pid: p.pid,
        comm: p.comm,
        runtime: this.counts(p),
        rssBytes: p.rssBytes,
        cpuSeconds: Math.round((p.cpuSeconds - (this.cpuAtStart.get(p.pid) ?? 0)) * 100) / 100,
      })),
      simulatorCpuSeconds: Math.round(((self()?.cpuSeconds ?? 0) - this.simCpuStart) * 100) / 100,
    };
  }
}
