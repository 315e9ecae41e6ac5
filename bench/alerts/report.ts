import type { Summary } from '../result';
import type { AlertsReport, AlertsTargetResult } from './result';

/* The product owner's targets for the monitoring path. */
export const ALERT_GOALS = { breachP99Ms: 500, offlineIntervals: 2, deskP99Ms: 1000 };

const MiB = 1024 * 1024;
const ms = (x: number | null) => (x === null ? '—' : x < 10 ? x.toFixed(1) : String(Math.round(x)));
const s1 = (x: number | null) => (x === null ? '—' : (x / 1000).toFixed(x < 1000 ? 3 : 1));
const trio = (s: Summary, f = ms) => `${f(s.p50)} / ${f(s.p99)} / ${f(s.max)}`;
const ratio = (a: number | null, b: number | null) => (a === null || b === null || b === 0 ? '—' : `${(a / b).toFixed(a / b < 10 ? 2 : 0)}×`);
const ratios = (a: Summary, b: Summary) => `${ratio(a.p50, b.p50)} / ${ratio(a.p99, b.p99)}`;

function grid(columns: string[], rows: string[][]): string {
  const widths = columns.map((c, i) => Math.max(c.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (c ?? '').padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function latencyTable(results: AlertsTargetResult[]): string {
  const rows: string[][] = [];
  for (const r of results) {
    for (const t of r.latency) {
      const goal = r.target === 'baseline' ? '' : t.breach.p99 !== null && t.breach.p99 < ALERT_GOALS.breachP99Ms && t.missingBreach === 0 ? '✓' : '✗';
      const rate = t.perSecond === null ? 'at once' : `${t.perSecond}/s`;
      rows.push([r.target, String(r.n), t.mode, `${t.devices} ${rate}`, trio(t.breach), trio(t.clear), `${t.missingBreach} / ${t.missingClear}`, goal]);
      const base = results.find((b) => b.target === 'baseline')?.latency.find((b) => b.mode === t.mode);
      if (base && r.target !== 'baseline') rows.push(['  ÷ baseline', '', '', '', ratios(t.breach, base.breach), ratios(t.clear, base.clear), '', '']);
    }
  }
  return grid(['target', 'N', 'mode', 'devices', 'breach → open p50/p99/max ms', 'clear → resolved p50/p99/max ms', 'missing', `p99 < ${ALERT_GOALS.breachP99Ms}`], rows);
}

/* Ticket and Slack against the baseline's breach → alert of the same mode: what the desk path costs over the bare network and socket. */
function deskTable(results: AlertsTargetResult[]): string {
  const rows: string[][] = [];
  for (const r of results) {
    for (const t of r.desk) {
      const ok = (s: Summary, missing: number) => (s.p99 !== null && s.p99 < ALERT_GOALS.deskP99Ms && missing === 0 ? '✓' : '✗');
      const rate = t.perSecond === null ? 'at once' : `${t.perSecond}/s`;
      rows.push([
        r.target,
        String(r.n),
        t.mode,
        `${t.devices} ${rate}`,
        trio(t.ticket),
        trio(t.slack),
        trio(t.alert),
        `${t.missingTicket} / ${t.missingSlack} / ${t.missingAlert}`,
        `${t.ticketRows}`,
        `${ok(t.ticket, t.missingTicket)} ${ok(t.slack, t.missingSlack)}`,
      ]);
      const base = results.find((b) => b.target === 'baseline')?.latency.find((b) => b.mode === t.mode);
      if (base) rows.push(['  ÷ baseline breach → alert', '', '', '', ratios(t.ticket, base.breach), ratios(t.slack, base.breach), ratios(t.alert, base.breach), '', '', '']);
    }
  }
  return grid(
    ['target', 'N', 'mode', 'devices', 'breach → ticket p50/p99/max ms', 'breach → Slack p50/p99/max ms', 'breach → alert p50/p99/max ms', 'missing t/S/a', 'rows', `p99 < ${ALERT_GOALS.deskP99Ms}`],
    rows,
  );
}

const intervals = (x: number | null, hb: number) => (x === null ? '—' : (x / 1000 / hb).toFixed(2));

function offlineTable(results: AlertsTargetResult[]): string {
  const rows: string[][] = [];
  for (const r of results) {
    for (const o of r.offline) {
      const hb = o.heartbeatSeconds;
      const within = o.status.max !== null && o.status.max / 1000 / hb <= ALERT_GOALS.offlineIntervals && o.missingStatus === 0;
      rows.push([
        r.target,
        String(r.n),
        String(hb),
        o.mode,
        String(o.devices),
        trio(o.status, s1),
        `${intervals(o.status.p50, hb)} / ${intervals(o.status.p99, hb)} / ${intervals(o.status.max, hb)}`,
        `${s1(o.sinceLastBeat.p50)} / ${s1(o.sinceLastBeat.max)}`,
        r.target === 'baseline' ? '—' : trio(o.alert, s1),
        `${o.missingStatus} / ${o.missingAlert}`,
        r.target === 'baseline' ? '' : within ? '✓' : '✗',
      ]);
    }
  }
  return grid(
    ['target', 'N', 'hb s', 'mode', 'drop', 'offline p50/p99/max s', '× heartbeat', 'since last hb p50/max s', 'offline alert p50/p99/max s', 'missing', `≤ ${ALERT_GOALS.offlineIntervals} hb`],
    rows,
  );
}

function flapTable(results: AlertsTargetResult[]): string {
  const rows: string[][] = [];
  for (const r of results) {
    for (const w of r.flap) {
      rows.push([
        r.target,
        String(r.n),
        String(r.heartbeatSeconds),
        w.label,
        String(w.seconds),
        `${w.calls} (${w.checkTransitionCalls} transition, ${w.deviceStatusCalls} status)`,
        String(w.callsPerSecond),
        String(w.transitionsPerSecond),
        `${w.alertFrames} (${w.alertFramesPerSecond}/s)`,
        String(w.hubRestarts),
      ]);
    }
  }
  return grid(['target', 'N', 'hb s', 'window', 's', 'hub calls', 'calls/s', 'transitions/s', 'alert frames', 'hub restarts'], rows);
}

function setupLines(results: AlertsTargetResult[]): string {
  return results
    .map((r) => {
      const checks = r.checks
        ? `; check set → ${r.checks.recompile.devices} devices${r.checks.recompile.deferred ? ' (deferred)' : ''}, ${r.checks.verified} checked held it after ${s1(r.checks.readyMs)} s${r.checks.notReady ? ` (${r.checks.notReady} never)` : ''}`
        : '';
      const phases = r.runtime.phases.map((p) => `${p.phase} ${p.cpuCores} cores`).join(', ');
      const lost = r.fleet.hbSent - r.fleet.hbAcked;
      const hbPhases = Object.entries(r.fleet.hbByPhase)
        .map(([phase, s]) => `${phase} ${ms(s.p50)} / ${ms(s.p99)}`)
        .join(', ');
      return (
        `  ${r.target.padEnd(9)} N=${r.n}: enroll ${r.enroll.perSecond}/s, connect ${r.connect.perSecond}/s (${r.connect.failed} failed)${checks}\n` +
        `            fleet hb p50 / p99 ms: ${hbPhases} (${lost} unacked incl. dropped agents), ${r.fleet.drops} drops,\n` +
        `            ` +
        `feed ${JSON.stringify(r.feed.frames)}${r.feed.invalid ? `, ${r.feed.invalid} invalid feed frames` : ''}${r.feed.closedWith ? `, feed closed ${r.feed.closedWith}` : ''}\n` +
        `            runtime peak ${Math.round(r.runtime.peakRssBytes / MiB)} MiB; ${phases}; simulator loop p99 ${r.simulatorLoopDelayP99Ms} ms` +
        (r.runtime.runtimeRestarts ? `; runtime restarted ${r.runtime.runtimeRestarts}×` : '') +
        (r.error ? `\n            ERROR: ${r.error}` : '')
      );
    })
    .join('\n');
}

function extrapolationLines(results: AlertsTargetResult[]): string {
  return results
    .filter((r) => r.extrapolation)
    .map((r) => {
      const e = r.extrapolation!;
      return (
        `  ${r.target}: EXTRAPOLATED, not measured: ${e.devices.toLocaleString('en')} devices with ${e.flappingDevices} flapping → ` +
        `${e.callsPerSecond} calls/s to the TenantHub (${((e.callsPerSecond / e.softLimitPerSecond) * 100).toFixed(2)} % of the ~${e.softLimitPerSecond.toLocaleString('en')}/s soft limit)\n` +
        `    from ${e.basis}`
      );
    })
    .join('\n');
}

export function printReport(report: AlertsReport): void {
  const r = report.results;
  const parts: string[] = [`\nSetup and load:\n${setupLines(r)}`];
  if (r.some((x) => x.latency.length)) parts.push(`Breach → alert frame on a connected dashboard (a heartbeat with CPU 99 %, then one with 10 %):\n${latencyTable(r)}`);
  if (r.some((x) => x.desk.length)) {
    parts.push(`Breach → service desk (ticket frame on the dashboard once the row is in D1; Slack message at the local receiver):\n${deskTable(r)}`);
  }
  if (r.some((x) => x.offline.length)) {
    parts.push(
      `Offline detection (agents dropped at once; reset: TCP socket destroyed, no close frame; silent: no more bytes, socket left open):\n${offlineTable(r)}`,
    );
  }
  if (r.some((x) => x.flap.length)) parts.push(`TenantHub calls (/api/v1/diagnostics/tenant-hub read every 2 s, added up):\n${flapTable(r)}\n${extrapolationLines(r)}`);
  console.log(parts.join('\n\n'));
}

