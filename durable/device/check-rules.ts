import type { CheckOf, CheckResult, Severity } from '../../protocol/checks';
import type { SecurityState, SmartDisk, EventEntry } from '../../protocol/device-state';
import { formatValue } from './check-metrics';

/*
 * The state machine of one check on one device, as pure functions: given the previous
 * state and a new observation, the next state. A transition is any move into or out of
 * 'breach' (or a change of severity while in breach); only transitions leave the hub.
 */

export type CheckStatus = 'ok' | 'pending' | 'breach' | 'unknown';

export interface CheckState {
  status: CheckStatus;
  /** When the current status began. */
  since: number;
  /** Threshold checks: when the condition started to hold (duration not yet reached). */
  pendingSince: number | null;
  severity: Severity;
  value: number | null;
  message: string;
  output?: string;
  /** Agent checks: failures in a row; event-log checks: time of the last match. */
  counter: number;
}

export const initialState = (now: number, severity: Severity): CheckState => ({
  status: 'unknown',
  since: now,
  pendingSince: null,
  severity,
  value: null,
  message: 'not evaluated yet',
  counter: 0,
});

export const isTransition = (prev: CheckState, next: CheckState) =>
  (prev.status === 'breach') !== (next.status === 'breach') ||
  (next.status === 'breach' && prev.severity !== next.severity);

const move = (prev: CheckState, status: CheckStatus, now: number, patch: Partial<CheckState>): CheckState => ({
  ...prev,
  ...patch,
  status,
  since: prev.status === status ? prev.since : now,
});

/**
 * Threshold with duration and hysteresis: the condition must hold for `forSeconds` before a
 * breach, and a breach clears only once the value is back past the `clear` level.
 */
export function stepMetric(prev: CheckState, check: CheckOf<'metric'>, value: number | null, now: number): CheckState {
  if (value === null) return prev.status === 'breach' ? prev : move(prev, 'unknown', now, { pendingSince: null, message: 'metric not reported' });
  const above = check.op === 'above';
  const clearLevel = check.clear ?? check.threshold;
  const breached = above ? value > check.threshold : value < check.threshold;
  const cleared = above ? value <= clearLevel : value >= clearLevel;
  const shown = formatValue(check.metric, value);
  const limit = formatValue(check.metric, check.threshold);
  const breachMessage = `${check.name}: ${shown} (${above ? 'above' : 'below'} ${limit}${check.forSeconds ? ` for ${check.forSeconds} s` : ''})`;
  const base = { value, severity: check.severity };

  if (prev.status === 'breach') {
    if (cleared) return move(prev, 'ok', now, { ...base, pendingSince: null, message: `${check.name}: ${shown}, back to normal` });
    return { ...prev, ...base, message: breachMessage };
  }
  if (!breached) return move(prev, 'ok', now, { ...base, pendingSince: null, message: `${check.name}: ${shown}` });
  const pendingSince = prev.status === 'pending' && prev.pendingSince !== null ? prev.pendingSince : now;
  if (now - pendingSince >= check.forSeconds * 1000) {
    return move(prev, 'breach', now, { ...base, pendingSince: null, message: breachMessage });
  }
  return move(prev, 'pending', now, { ...base, pendingSince, message: `${check.name}: ${shown}, waiting ${check.forSeconds} s before alerting` });
}

/** A yes/no condition without duration (disk free, security state, SMART…). */
export function stepCondition(
  prev: CheckState,
  severity: Severity,
  breach: boolean | null,
  message: string,
  now: number,
  value: number | null = null,
): CheckState {
  if (breach === null) return prev.status === 'breach' ? prev : move(prev, 'unknown', now, { message, value });
  return move(prev, breach ? 'breach' : 'ok', now, { severity, message, value, pendingSince: null });
}

/** An agent-run check's result: `fail` at the check's severity, `warning` at most at warning. */
export function stepAgentResult(prev: CheckState, check: { severity: Severity }, r: CheckResult, now: number): CheckState {
  const patch = { value: r.value ?? null, message: r.message, output: r.output, pendingSince: null };
  if (r.status === 'pass') return move(prev, 'ok', now, { ...patch, severity: check.severity });
  const severity: Severity = r.status === 'fail' ? check.severity : check.severity === 'info' ? 'info' : 'warning';
  return move(prev, 'breach', now, { ...patch, severity });
}

// ---- conditions read from collector state ----

export function firewallBreach(s: SecurityState): { breach: boolean | null; message: string } {
  if (s.firewallEnabled === null) return { breach: null, message: 'firewall state unknown on this device' };
  return s.firewallEnabled ? { breach: false, message: 'firewall is on' } : { breach: true, message: 'firewall is off' };
}

export function antivirusBreach(s: SecurityState): { breach: boolean | null; message: string } {
  const av = s.antivirus;
  const name = av.name ? `${av.name} ` : '';
  if (av.present === false) return { breach: true, message: 'no antivirus found' };
  if (av.enabled === false) return { breach: true, message: `antivirus ${name}is turned off` };
  if (av.upToDate === false) return { breach: true, message: `antivirus ${name}signatures are out of date` };
  if (av.present === null) return { breach: null, message: 'antivirus state unknown on this device' };
  return { breach: false, message: `antivirus ${name}is on and current`.replace('  ', ' ') };
}

/** `seenAt` is the hub's time of the state report; `since` is on the agent clock. */
export function rebootBreach(s: SecurityState, days: number, now: number): { breach: boolean | null; message: string; value: number | null } {
  if (s.rebootRequired === null) return { breach: null, message: 'reboot state unknown on this device', value: null };
  if (!s.rebootRequired) return { breach: false, message: 'no reboot pending', value: 0 };
  const since = s.rebootRequiredSince ?? now;
  const waited = Math.max(0, (now - since) / 86_400_000);
  const rounded = Math.floor(waited * 10) / 10;
  return waited >= days
    ? { breach: true, message: `reboot pending for ${rounded} days`, value: rounded }
    : { breach: false, message: `reboot pending for ${rounded} days (alert after ${days})`, value: rounded };
}

export function smartBreach(smart: { available: boolean; disks: SmartDisk[] }): { breach: boolean | null; message: string } {
  if (!smart.available) return { breach: null, message: 'smartctl is not installed on this device' };
  const failing = smart.disks.filter((d) => d.healthy === false);
  if (failing.length) {
    return { breach: true, message: `SMART reports failing disk(s): ${failing.map((d) => `${d.device}${d.model ? ` (${d.model})` : ''}`).join(', ')}` };
  }
  return { breach: false, message: `${smart.disks.length} disk(s) healthy` };
}

/** Whether one event-log entry matches a check (the pattern was compiled when the rule was saved). */
export function eventMatches(check: CheckOf<'event_log'>, e: EventEntry, pattern: RegExp | null): boolean {
  if (check.level === 'critical' && e.level !== 'critical') return false;
  if (check.source !== undefined && check.source.toLowerCase() !== e.source.toLowerCase()) return false;
  if (check.eventId !== undefined && check.eventId !== e.eventId) return false;
  return pattern === null || pattern.test(e.message);
}
