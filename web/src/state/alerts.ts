import { createSignal, getOwner, onCleanup } from 'solid-js';
import type { Alert, AlertSummary } from '../../../protocol/api/alerts';
import { api, call } from '../api/client';

export type { Alert };

const [summary, setSummary] = createSignal<AlertSummary | null>(null);
export { summary as alertSummary };

/** Open (not yet acknowledged) alerts of every severity: the nav badge. */
export function openAlertCount(): number {
  const s = summary();
  return s ? s.open.critical + s.open.warning + s.open.info : 0;
}

let summaryTimer: ReturnType<typeof setTimeout> | undefined;

export async function loadAlertSummary(): Promise<void> {
  try {
    setSummary(await call(api.alerts.summary.$get()));
  } catch {
    // The badge keeps its last count; the next alert frame or reconnect retries.
  }
}

/*
 * A frame says what one alert is now, not what it was, so counts cannot be adjusted from
 * it alone: the summary is re-read instead, once per burst (a site going down opens many).
 */
function scheduleSummary(): void {
  clearTimeout(summaryTimer);
  summaryTimer = setTimeout(() => void loadAlertSummary(), 400);
}

const alertListeners = new Set<(a: Alert) => void>();
const resyncListeners = new Set<() => void>();

/** Every alert opened or changed in the tenant; unsubscribes with the calling scope. */
export function onAlertChange(listener: (a: Alert) => void): void {
  alertListeners.add(listener);
  if (getOwner()) onCleanup(() => alertListeners.delete(listener));
}

/** The feed reconnected: frames may have been missed, so views reload what they show. */
export function onAlertResync(listener: () => void): void {
  resyncListeners.add(listener);
  if (getOwner()) onCleanup(() => resyncListeners.delete(listener));
}

export function applyAlertFrame(alert: Alert): void {
  for (const l of alertListeners) l(alert);
  scheduleSummary();
}

export function resyncAlerts(): void {
  void loadAlertSummary();
  for (const l of resyncListeners) l();
}

export type AlertAction = 'acknowledge' | 'resolve';

/**
 * Acknowledge or resolve. Views patch the changed rows at once (the feed's frames confirm
 * moments later, and stand in when it is down); the summary is re-read either way.
 */
export async function actOnAlerts(action: AlertAction, ids: string[], note?: string): Promise<{ changed: string[]; unchanged: string[] }> {
  const res = await call(api.alerts.bulk.$post({ json: { action, ids, ...(note ? { note } : {}) } }));
  scheduleSummary();
  return res;
}
