import type { AlertStatus } from '../../../../protocol/api/alerts';
import type { Severity } from '../../../../protocol/checks';
import type { Alert } from '../../state/alerts';

/** What the status menu offers: "active" is open and acknowledged together, the API's default. */
export const VIEWS = ['active', 'open', 'acknowledged', 'resolved'] as const;
export type AlertView = (typeof VIEWS)[number];

export const VIEW_LABEL: Record<AlertView, string> = {
  active: 'Active (open + acknowledged)',
  open: 'Open',
  acknowledged: 'Acknowledged',
  resolved: 'Resolved (history)',
};

export interface AlertFilter {
  view: AlertView;
  severity: Severity | '';
  clientId: string;
  deviceId: string;
  q: string;
}

export const DEFAULT_FILTER: AlertFilter = { view: 'active', severity: '', clientId: '', deviceId: '', q: '' };

export function statusesOf(view: AlertView): AlertStatus[] {
  return view === 'active' ? ['open', 'acknowledged'] : [view];
}

export function parseView(raw: string | undefined): AlertView {
  return (VIEWS as readonly string[]).includes(raw ?? '') ? (raw as AlertView) : 'active';
}

export function parseSeverity(raw: string | undefined): Severity | '' {
  return raw === 'critical' || raw === 'warning' || raw === 'info' ? raw : '';
}

/** The list query for one page under this filter. */
export function toQuery(f: AlertFilter, limit: number, cursor?: string) {
  return {
    status: statusesOf(f.view).join(','),
    limit: String(limit),
    ...(f.severity ? { severity: f.severity } : {}),
    ...(f.clientId ? { clientId: f.clientId } : {}),
    ...(f.deviceId ? { deviceId: f.deviceId } : {}),
    ...(f.q.trim() ? { q: f.q.trim() } : {}),
    ...(cursor ? { cursor } : {}),
  };
}

/**
 * Whether a live alert belongs in a list under this filter: the server's rules, applied in
 * the browser so a new alert can join the list without a refetch. The search is the API's
 * substring match over check name, message and hostname.
 */
export function matchesFilter(a: Alert, f: AlertFilter): boolean {
  if (!statusesOf(f.view).includes(a.status)) return false;
  if (f.severity && a.severity !== f.severity) return false;
  if (f.clientId && a.clientId !== f.clientId) return false;
  if (f.deviceId && a.deviceId !== f.deviceId) return false;
  const needle = f.q.trim().toLowerCase();
  if (!needle) return true;
  return [a.checkName, a.message, a.hostname ?? ''].some((s) => s.toLowerCase().includes(needle));
}
