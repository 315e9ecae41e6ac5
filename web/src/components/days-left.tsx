import { Show, type JSX } from 'solid-js';

/** How urgent an end date is: past it, within 30 days, within 90, or further out. */
function daysTone(days: number): 'badge-bad' | 'badge-warn' | 'badge-info' | 'badge-ok' {
  if (days <= 30) return 'badge-bad';
  if (days <= 60) return 'badge-warn';
  if (days <= 90) return 'badge-info';
  return 'badge-ok';
}

function daysText(days: number): string {
  if (days < 0) return `expired ${-days} d ago`;
  if (days === 0) return 'ends today';
  return `${days} d left`;
}

/**
 * An end date with its days left as a badge coloured by urgency (the alert thresholds:
 * 90, 60 and 30 days). `none` is what an absent date means here ("perpetual", "no warranty").
 */
export function EndDate(props: { end: string | null; daysLeft: number | null; none: string; testId?: string }): JSX.Element {
  return (
    <Show when={props.end} fallback={<span class="muted">{props.none}</span>}>
      {(end) => (
        <span class="nowrap" data-testid={props.testId}>
          <span class="mono">{end()}</span>{' '}
          <Show when={props.daysLeft !== null}>
            <span class={`badge ${daysTone(props.daysLeft!)}`} data-testid={props.testId ? `${props.testId}-days` : undefined}>
              {daysText(props.daysLeft!)}
            </span>
          </Show>
        </span>
      )}
    </Show>
  );
}
