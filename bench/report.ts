import type { Report, StepResult, Summary } from './result';

/* The product owner's targets for this 2-core machine. */
export const GOALS = { agents: 10_000, commandP50Ms: 50, commandP99Ms: 250 };

const MiB = 1024 * 1024;
const ms = (x: number | null) => (x === null ? '—' : x < 10 ? x.toFixed(1) : String(Math.round(x)));
const pair = (s: Summary) => `${ms(s.p50)} / ${ms(s.p99)}`;
const ratio = (a: number | null, b: number | null) => (a === null || b === null || b === 0 ? '—' : `${(a / b).toFixed(a / b < 10 ? 2 : 0)}×`);

function runtimeCpu(r: StepResult): number {
  return r.runtime.processes.reduce((s, p) => s + p.cpuSeconds, 0);
}

function lossText(r: StepResult): string {
  const parts = [
    r.connect.failed && `${r.connect.failed} connect failed`,
    r.heartbeats.lost && `${r.heartbeats.lost} hb lost`,
    r.pings.unanswered && `${r.pings.unanswered} pings unanswered`,
    r.drops && `${r.drops} drops`,
    r.commands.failed && `${r.commands.failed} cmd failed`,
    r.commands.run < r.commands.asked && `${r.commands.asked - r.commands.run} cmd not run`,
    r.invalidFrames && `${r.invalidFrames} invalid frames`,
    r.runtime.runtimeRestarts && `runtime restarted ${r.runtime.runtimeRestarts}×`,
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : 'none';
}

const topReasons = (m: Record<string, number>) =>
  Object.entries(m)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([why, count]) => `${count}× ${why}`)
    .join('; ');

/** One line as a step finishes (and why it lost, if it did), so a long ramp shows progress. */
export function stepLine(r: StepResult): string {
  const why = [
    r.connect.failed && `connect: ${topReasons(r.connect.failures)}`,
    r.drops && `drops: ${topReasons(r.dropReasons)}`,
    r.commands.failed && `commands: ${topReasons(r.commands.errors)}`,
  ].filter(Boolean);
  return (
    `  ${r.target.padEnd(9)} N=${String(r.n).padEnd(6)} connect ${r.connect.perSecond}/s (each ${pair(r.connect.latency)} ms), ` +
    `hb ${pair(r.heartbeats.rtt)} ms, cmd ${pair(r.commands.roundTrip)} ms, ` +
    `RSS ${Math.round(r.runtime.peakRssBytes / MiB)} MiB, loss: ${lossText(r)}` +
    (why.length ? `\n      ${why.join('\n      ')}` : '')
  );
}

const COLUMNS = ['target', 'N', 'enroll/s', 'connect/s', 'hb p50/p99 ms', 'cmd p50/p99 ms', 'hb lost', 'drops', 'conn fail', 'RSS MiB', 'CPU s', 'zero loss'];

export function table(steps: StepResult[]): string {
  const rows: string[][] = [];
  for (const r of steps) {
    rows.push([
      r.target,
      String(r.n),
      r.enroll ? String(r.enroll.perSecond) : '—',
      String(r.connect.perSecond),
      pair(r.heartbeats.rtt),
      pair(r.commands.roundTrip),
      String(r.heartbeats.lost),
      String(r.drops),
      String(r.connect.failed),
      String(Math.round(r.runtime.peakRssBytes / MiB)),
      runtimeCpu(r).toFixed(1),
      r.zeroLoss ? 'yes' : `NO (${lossText(r)})`,
    ]);
    const base = steps.find((b) => b.target === 'baseline' && b.n === r.n);
    if (base && r.target !== 'baseline') {
      rows.push([
        '  ÷ baseline',
        '',
        '',
        ratio(r.connect.perSecond, base.connect.perSecond),
        `${ratio(r.heartbeats.rtt.p50, base.heartbeats.rtt.p50)} / ${ratio(r.heartbeats.rtt.p99, base.heartbeats.rtt.p99)}`,
        `${ratio(r.commands.roundTrip.p50, base.commands.roundTrip.p50)} / ${ratio(r.commands.roundTrip.p99, base.commands.roundTrip.p99)}`,
        '',
        '',
        '',
        ratio(r.runtime.peakRssBytes, base.runtime.peakRssBytes),
        ratio(runtimeCpu(r), runtimeCpu(base)),
        '',
      ]);
    }
  }
  const widths = COLUMNS.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [line(COLUMNS), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** Where each target's time went: which processes burned the CPU during its largest step. */
export function cpuBreakdown(steps: StepResult[]): string {
  const out: string[] = [];
  for (const target of new Set(steps.map((s) => s.target))) {
    const last = steps.filter((s) => s.target === target).at(-1)!;
    const procs = last.runtime.processes
      .filter((p) => p.cpuSeconds > 0 || p.runtime)
      .map((p) => `${p.comm}[${p.pid}]${p.exited ? ' (exited)' : ''} ${p.cpuSeconds.toFixed(1)} s CPU, ${Math.round(p.rssBytes / MiB)} MiB, ${Math.round(p.diskWriteBytes / MiB)} MiB written`)
      .join('; ');
    const phases = last.runtime.phases
      .map((p) => `${p.phase} ${p.wallSeconds} s at ${p.cpuCores} cores, ${Math.round(p.diskWriteBytes / MiB)} MiB written`)
      .join('; ');
    out.push(`  ${target} N=${last.n}: ${procs}`);
    out.push(`    phases: ${phases}; simulator ${last.runtime.simulatorCpuSeconds.toFixed(1)} s CPU, loop delay p99 ${last.simulatorLoopDelayP99Ms} ms`);
  }
  return out.join('\n');
}

export function verdictLines(report: Report): string {
  return report.verdicts
    .map((v) => {
      const best = report.steps.filter((s) => s.target === v.target && s.zeroLoss).at(-1);
      const cmd = best ? best.commands.roundTrip : null;
      const goals = best
        ? ` — goals: ${v.largestZeroLossN !== null && v.largestZeroLossN >= GOALS.agents ? 'agents ✓' : `agents ✗ (< ${GOALS.agents})`}, ` +
          `cmd p50 ${cmd!.p50 !== null && cmd!.p50 < GOALS.commandP50Ms ? '✓' : '✗'}, cmd p99 ${cmd!.p99 !== null && cmd!.p99 < GOALS.commandP99Ms ? '✓' : '✗'}`
        : '';
      return `  ${v.target.padEnd(9)} largest N with zero loss: ${v.largestZeroLossN ?? 'none'} (stopped: ${v.stoppedBecause})${goals}`;
    })
    .join('\n');
}
