import { For, type JSX } from 'solid-js';
import type { ApiFailure } from '../../api/errors';
import { FieldError } from '../../components/feedback';
import type { DurationText } from './hours';
import { PRIORITIES, type TicketPriority } from '../../state/tickets';

export type TargetClock = 'firstResponseMinutes' | 'resolutionMinutes';
export type TargetsText = Record<TicketPriority, Record<TargetClock, DurationText>>;

const CLOCKS: { key: TargetClock; label: string }[] = [
  { key: 'firstResponseMinutes', label: 'First response' },
  { key: 'resolutionMinutes', label: 'Resolution' },
];

function Duration(props: { value: DurationText; label: string; testId: string; onChange: (d: DurationText) => void }): JSX.Element {
  return (
    <span class="row gap nowrap">
      <input
        class="input input-num"
        inputMode="numeric"
        aria-label={`${props.label}, hours`}
        data-testid={`${props.testId}-h`}
        value={props.value.hours}
        onInput={(e) => props.onChange({ ...props.value, hours: e.currentTarget.value })}
      />
      h
      <input
        class="input input-num"
        inputMode="numeric"
        aria-label={`${props.label}, minutes`}
        data-testid={`${props.testId}-m`}
        value={props.value.minutes}
        onInput={(e) => props.onChange({ ...props.value, minutes: e.currentTarget.value })}
      />
      min
    </span>
  );
}

/** Per priority, the two clocks as hours and minutes; a priority left blank gets no due times. */
export function TargetsEditor(props: { value: TargetsText; failure: ApiFailure | null; onChange: (p: TicketPriority, clock: TargetClock, d: DurationText) => void }): JSX.Element {
  return (
    <table class="table" data-testid="sla-targets">
      <thead>
        <tr>
          <th>Priority</th>
          <For each={CLOCKS}>{(c) => <th>{c.label}</th>}</For>
        </tr>
      </thead>
      <tbody>
        <For each={PRIORITIES}>
          {(p) => (
            <tr>
              <th scope="row">{p}</th>
              <For each={CLOCKS}>
                {(c) => (
                  <td>
                    <Duration value={props.value[p][c.key]} label={`${p} ${c.label}`} testId={`sla-target-${p}-${c.key === 'firstResponseMinutes' ? 'first' : 'resolution'}`} onChange={(d) => props.onChange(p, c.key, d)} />
                    <FieldError failure={props.failure} path={`targets.${p}.${c.key}`} />
                  </td>
                )}
              </For>
            </tr>
          )}
        </For>
      </tbody>
    </table>
  );
}
