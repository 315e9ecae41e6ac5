import { For, Match, Show, Switch, type JSX } from 'solid-js';
import type { NumOp } from '../../../../protocol/api/fleet-search';
import { FIELDS, fieldKind, MATCHES, NUM_OPS, TEXT_OPS, withField, type ConditionDraft, type Field } from './search-conditions';

/** One condition of the query builder: a field, then the inputs its kind takes. */
export function ConditionEditor(props: {
  draft: ConditionDraft;
  index: number;
  join: string;
  problem: string | null;
  onChange: (d: ConditionDraft) => void;
  onRemove: () => void;
  canRemove: boolean;
}): JSX.Element {
  const set = (p: Partial<ConditionDraft>) => props.onChange({ ...props.draft, ...p });
  const kind = () => fieldKind(props.draft.field);
  const n = () => props.index + 1;
  return (
    <li class="condition-row" data-testid="condition" data-field={props.draft.field}>
      <span class="condition-join">{props.index === 0 ? 'where' : props.join}</span>
      <select class="input select" aria-label={`Condition ${n()} field`} data-testid="condition-field" value={props.draft.field} onChange={(e) => props.onChange(withField(props.draft, e.currentTarget.value as Field))}>
        <For each={FIELDS}>
          {(g) => (
            <optgroup label={g.group}>
              <For each={g.fields}>{(f) => <option value={f.field}>{f.label}</option>}</For>
            </optgroup>
          )}
        </For>
      </select>
      <Switch>
        <Match when={kind() === 'software'}>
          <select class="input select" aria-label={`Condition ${n()} presence`} data-testid="condition-op" value={props.draft.op} onChange={(e) => set({ op: e.currentTarget.value })}>
            <option value="installed">installed</option>
            <option value="missing">missing</option>
          </select>
          <select class="input select" aria-label={`Condition ${n()} name match`} data-testid="condition-match" value={props.draft.match} onChange={(e) => set({ match: e.currentTarget.value as ConditionDraft['match'] })}>
            <For each={MATCHES}>{(m) => <option value={m.match}>{m.label}</option>}</For>
          </select>
          <input class="input input-small" aria-label={`Condition ${n()} software name`} data-testid="condition-name" placeholder="e.g. chrome" maxLength={200} value={props.draft.name} onInput={(e) => set({ name: e.currentTarget.value })} />
          <Show when={props.draft.op === 'installed'}>
            <select class="input select" aria-label={`Condition ${n()} version`} data-testid="condition-version-op" value={props.draft.versionOp} onChange={(e) => set({ versionOp: e.currentTarget.value as NumOp | '' })}>
              <option value="">any version</option>
              <For each={NUM_OPS}>{(o) => <option value={o.op}>version {o.version}</option>}</For>
            </select>
            <Show when={props.draft.versionOp}>
              <input class="input input-small input-num" aria-label={`Condition ${n()} version value`} data-testid="condition-version" placeholder="120" maxLength={64} value={props.draft.versionValue} onInput={(e) => set({ versionValue: e.currentTarget.value })} />
            </Show>
          </Show>
        </Match>
        <Match when={kind() === 'number' || kind() === 'version'}>
          <select class="input select" aria-label={`Condition ${n()} comparison`} data-testid="condition-op" value={props.draft.op} onChange={(e) => set({ op: e.currentTarget.value })}>
            <For each={NUM_OPS}>{(o) => <option value={o.op}>{kind() === 'version' ? o.version : o.label}</option>}</For>
          </select>
          <input
            class="input input-small input-num"
            type={kind() === 'number' ? 'number' : 'text'}
            step="any"
            aria-label={`Condition ${n()} value`}
            data-testid="condition-value"
            placeholder={kind() === 'version' ? 'e.g. 22.04' : ''}
            value={props.draft.value}
            onInput={(e) => set({ value: e.currentTarget.value })}
          />
        </Match>
        <Match when={kind() === 'text'}>
          <select class="input select" aria-label={`Condition ${n()} comparison`} data-testid="condition-op" value={props.draft.op} onChange={(e) => set({ op: e.currentTarget.value })}>
            <For each={TEXT_OPS}>{(o) => <option value={o.op}>{o.label}</option>}</For>
          </select>
          <input class="input input-small" aria-label={`Condition ${n()} value`} data-testid="condition-value" maxLength={200} value={props.draft.value} onInput={(e) => set({ value: e.currentTarget.value })} />
        </Match>
        <Match when={kind() === 'eol'}>
          <select class="input select" aria-label={`Condition ${n()} end of life`} data-testid="condition-op" value={props.draft.op} onChange={(e) => set({ op: e.currentTarget.value })}>
            <option value="is">is past its end of life</option>
            <option value="is_not">is still supported</option>
          </select>
        </Match>
      </Switch>
      <Show when={props.canRemove}>
        <button type="button" class="btn btn-small btn-ghost" aria-label={`Remove condition ${n()}`} data-testid="condition-remove" onClick={() => props.onRemove()}>
          ×
        </button>
      </Show>
      <Show when={props.problem}>
        <span class="field-error" role="alert">
          {props.problem}
        </span>
      </Show>
    </li>
  );
}
