import type { JSX } from 'solid-js';
import type { AlertStatus } from '../../../protocol/api/alerts';
import type { Severity } from '../../../protocol/checks';

const SEVERITY_TONE: Record<Severity, string> = { critical: 'bad', warning: 'warn', info: 'info' };
const STATUS_TONE: Record<AlertStatus, string> = { open: 'bad', acknowledged: 'warn', resolved: 'ok' };

/** Word and colour together: severity must read without colour vision. */
export function SeverityBadge(props: { severity: Severity }): JSX.Element {
  return <span class={`badge badge-${SEVERITY_TONE[props.severity]} sev sev-${props.severity}`}>{props.severity}</span>;
}

export function AlertStatusBadge(props: { status: AlertStatus; testId?: string }): JSX.Element {
  return (
    <span class={`badge badge-${STATUS_TONE[props.status]}`} data-testid={props.testId}>
      {props.status}
    </span>
  );
}

export const SEVERITIES: readonly Severity[] = ['critical', 'warning', 'info'];
