import { readFileSync, readdirSync } from 'node:fs';
import type { PhaseUsage, RuntimeUsage } from './result';

/*
 * Memory, CPU and disk writes of the runtime under test, read from /proc: the processes that
 * serve the platform are descendants of what the bench started, found by walking parent
 * links rather than by name, so other people's processes on the machine never count.
 */

const TICKS_PER_SECOND = 100;

export interface ProcInfo {
  pid: number;
  ppid: number;
  comm: string;
  /** user + system CPU time, seconds. */
  cpuSeconds: number;
  rssBytes: number;
  /** Bytes this process caused to be written to storage. */
  diskWriteBytes: number;
}

function readStat(pid: number): Omit<ProcInfo, 'rssBytes' | 'diskWriteBytes'> | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm may hold spaces and parentheses: split after the last ')'.
    const close = stat.lastIndexOf(')');
    const fields = stat.slice(close + 2).split(' ');
    return {
      pid,
      ppid: Number(fields[1]),
      comm: stat.slice(stat.indexOf('(') + 1, close),
      cpuSeconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND,
    };
  } catch {
    return null;
  }
}

function readNumber(file: string, pattern: RegExp): number {
  try {
    return Number(pattern.exec(readFileSync(file, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** `root` and all its descendants that are still alive. */
export function processTree(root: number): ProcInfo[] {
  const children = new Map<number, number[]>();
  const stats = new Map<number, NonNullable<ReturnType<typeof readStat>>>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = readStat(Number(name));
    if (!s) continue;
    stats.set(s.pid, s);
    children.set(s.ppid, [...(children.get(s.ppid) ?? []), s.pid]);
  }
  const out: ProcInfo[] = [];
  const walk = (pid: number) => {
    const s = stats.get(pid);
    if (s) {
      out.push({
        ...s,
        rssBytes: readNumber(`/proc/${pid}/status`, /VmRSS:\s+(\d+)/) * 1024,
        diskWriteBytes: readNumber(`/proc/${pid}/io`, /^write_bytes:\s+(\d+)/m),
      });
    }
    for (const c of children.get(pid) ?? []) if (c !== pid) walk(c);
  };
  walk(root);
  return out;
}

const selfCpu = () => readStat(process.pid)?.cpuSeconds ?? 0;
const round = (x: number, places = 2) => Math.round(x * 10 ** places) / 10 ** places;

/**
 * Samples a target's processes while a step runs: the peak RSS of those `counts` accepts as
 * the runtime (e.g. the workerd children), the CPU each process used, and CPU and disk
 * writes per phase (connect, steady…) so a slow phase can be told CPU-bound or not.
 */
export class ProcWatch {
  private peakRss = 0;
  /** Last sample of every process seen during the step, including ones that exited. */
  private readonly seen = new Map<number, ProcInfo>();
  /** First sample of the processes alive when the step began. */
  private base = new Map<number, ProcInfo>();
  private last: ProcInfo[] = [];
  private timer: NodeJS.Timeout | null = null;
  private marks: { name: string; at: number; cpu: number; disk: number; sim: number }[] = [];

  constructor(
    private readonly pick: () => ProcInfo[],
    private readonly counts: (p: ProcInfo) => boolean,
  ) {}

  start(phase: string, intervalMs = 1000): void {
    this.sample();
    this.base = new Map(this.last.map((p) => [p.pid, p]));
    this.mark(phase);
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  /** Ends the current phase and starts `phase`. */
  mark(phase: string): void {
    this.sample();
    this.marks.push({ name: phase, at: performance.now(), cpu: this.used((p) => p.cpuSeconds), disk: this.used((p) => p.diskWriteBytes), sim: selfCpu() });
  }

  stop(): RuntimeUsage {
    if (this.timer) clearInterval(this.timer);
    this.mark('end');
    const phases: PhaseUsage[] = this.marks.slice(0, -1).map((m, i) => {
      const next = this.marks[i + 1];
      const wall = (next.at - m.at) / 1000;
      return {
        phase: m.name,
        wallSeconds: round(wall, 1),
        cpuSeconds: round(next.cpu - m.cpu),
        cpuCores: wall > 0 ? round((next.cpu - m.cpu) / wall) : 0,
        diskWriteBytes: next.disk - m.disk,
        simulatorCpuSeconds: round(next.sim - m.sim),
      };
    });
    const alive = new Set(this.last.map((p) => p.pid));
    const runtimeAtStart = [...this.base.values()].filter(this.counts).length;
    return {
      peakRssBytes: this.peakRss,
      endRssBytes: this.runtimeRss(),
      phases,
      runtimeRestarts: Math.max(0, [...this.seen.values()].filter(this.counts).length - runtimeAtStart),
      processes: [...this.seen.values()].map((p) => ({
        pid: p.pid,
        comm: p.comm,
        runtime: this.counts(p),
        exited: !alive.has(p.pid),
        rssBytes: p.rssBytes,
        cpuSeconds: round(p.cpuSeconds - (this.base.get(p.pid)?.cpuSeconds ?? 0)),
        diskWriteBytes: p.diskWriteBytes - (this.base.get(p.pid)?.diskWriteBytes ?? 0),
      })),
      simulatorCpuSeconds: round(selfCpu() - (this.marks[0]?.sim ?? 0)),
    };
  }

  /* Counted per process so that a runtime restarted mid-step (new pid) adds, never subtracts. */
  private used(f: (p: ProcInfo) => number): number {
    let total = 0;
    for (const p of this.seen.values()) total += f(p) - (this.base.has(p.pid) ? f(this.base.get(p.pid)!) : 0);
    return total;
  }

  private sample(): void {
    this.last = this.pick();
    for (const p of this.last) this.seen.set(p.pid, p);
    this.peakRss = Math.max(this.peakRss, this.runtimeRss());
  }

  private runtimeRss(): number {
    return this.last.filter(this.counts).reduce((s, p) => s + p.rssBytes, 0);
  }
}
