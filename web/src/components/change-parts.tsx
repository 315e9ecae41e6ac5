import { For, Show, type JSX } from 'solid-js';
import { CHANGE_KINDS, type ChangeKind } from '../../../protocol/inventory';
import type { ChangeRecord } from '../../../protocol/api/inventory';
import { CHANGE_LOOK } from '../pages/device/changes-kinds';

/** The kind filter of a change list: every kind, or one. */
export function ChangeKindSelect(props: { value: ChangeKind | ''; onChange: (kind: ChangeKind | '') => void; testId: string }): JSX.Element {
  return (
    <select class="input select" aria-label="Kind of change" data-testid={props.testId} value={props.value} onChange={(e) => props.onChange(e.currentTarget.value as ChangeKind | '')}>
      <option value="">Every change</option>
      <For each={CHANGE_KINDS}>{(k) => <option value={k} selected={k === props.value}>{CHANGE_LOOK[k].label}</option>}</For>
    </select>
  );
}

/** A change's kind as a toned badge with its symbol. */
export function ChangeKindBadge(props: { kind: ChangeKind }): JSX.Element {
  const look = () => CHANGE_LOOK[props.kind];
  return (
    <span class={`badge badge-${look().tone}`} data-testid="change-kind">
      <span aria-hidden="true">{look().icon}</span> {look().label}
    </span>
  );
}

/** "from → to" of a change, when it has either; both are agent text. */
export function ChangeValues(props: { change: Pick<ChangeRecord, 'fromValue' | 'toValue'>; class: string }): JSX.Element {
  return (
    <Show when={props.change.fromValue !== null || props.change.toValue !== null}>
      <div class={props.class} data-testid="change-values">
        {props.change.fromValue ?? '—'} → {props.change.toValue ?? '—'}
      </div>
    </Show>
  );
}
