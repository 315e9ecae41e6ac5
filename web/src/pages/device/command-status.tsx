import type { JSX } from 'solid-js';

/** Badge tone per command status; statuses still on their way show as info. */
export const COMMAND_TONE: Record<string, string> = {
  succeeded: 'ok',
  failed: 'bad',
  timed_out: 'bad',
  rejected: 'bad',
  interrupted: 'warn',
  expired: 'warn',
  cancelled: 'warn',
};

/** A command's status in a list row. */
export function CommandStatusBadge(props: { status: string }): JSX.Element {
  return <span class={`badge badge-${COMMAND_TONE[props.status] ?? 'info'}`}>{props.status.replace('_', ' ')}</span>;
}
