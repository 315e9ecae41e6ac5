import { Show, type JSX } from 'solid-js';
import { now } from '../../lib/clock';
import { formatDateTime, relativeTime } from '../../lib/format';
import type { Ticket } from '../../state/tickets';

/** One SLA clock: met, breached, paused (waiting on the customer), running (red once past due) or not set. */
function Clock(props: { label: string; due: number | null; doneAt: number | null; breachedAt: number | null; pausedAt?: number | null; testId: string }): JSX.Element {
  const state = () => {
    if (props.due === null) return { text: 'no target', cls: 'muted' };
    // The due time moves later by the pause once the ticket leaves pending.
    if (props.pausedAt != null && props.doneAt === null && props.breachedAt === null) return { text: `paused since ${formatDateTime(props.pausedAt)}`, cls: 'muted' };
    if (props.doneAt !== null) {
      const late = props.breachedAt !== null || props.doneAt > props.due;
      return { text: `${late ? 'met late' : 'met'} ${formatDateTime(props.doneAt)}`, cls: late ? 'sla-late' : '' };
    }
    const late = props.breachedAt !== null || props.due < now();
    return { text: `${late ? 'breached · was due' : 'due'} ${relativeTime(props.due, now())}`, cls: late ? 'sla-late' : '' };
  };
  return (
    <>
      <dt>{props.label}</dt>
      <dd class={state().cls} data-testid={props.testId} title={props.due ? `due ${formatDateTime(props.due)}` : undefined}>
        {state().text}
      </dd>
    </>
  );
}

export function SlaClocks(props: { ticket: Ticket }): JSX.Element {
  const t = () => props.ticket;
  return (
    <Show when={t().slaPolicyId || t().firstResponseDueAt || t().resolutionDueAt} fallback={<p class="muted small">No SLA applies to this ticket.</p>}>
      <dl class="facts">
        <Clock label="First response" due={t().firstResponseDueAt} doneAt={t().firstResponseAt} breachedAt={t().firstResponseBreachedAt} testId="sla-first-response" />
        <Clock label="Resolution" due={t().resolutionDueAt} doneAt={t().resolvedAt} breachedAt={t().resolutionBreachedAt} pausedAt={t().status === 'pending' ? t().slaPausedAt : null} testId="sla-resolution" />
      </dl>
    </Show>
  );
}
