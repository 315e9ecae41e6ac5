import { For, Match, Switch, type JSX } from 'solid-js';
import type { ParamValues, ScriptParam } from '../../../protocol/scripts';
import type { ApiFailure } from '../api/errors';
import { FieldError } from './feedback';
import '../styles/automation.css';

/** The values a run starts from: each parameter's default; secrets always start empty. */
export function defaultValues(params: ScriptParam[]): ParamValues {
  const out: ParamValues = {};
  for (const p of params) {
    if (p.type === 'boolean') out[p.name] = p.default ?? false;
    else if (p.type !== 'secret' && p.default !== undefined) out[p.name] = p.default;
  }
  return out;
}

/** What the server would refuse anyway, said before the round trip. */
export function missingRequired(params: ScriptParam[], values: ParamValues): string[] {
  return params.filter((p) => p.required && p.type !== 'boolean' && (values[p.name] === undefined || values[p.name] === '')).map((p) => p.label);
}

/**
 * A typed form for a script's parameters: number inputs with their bounds, a checkbox, a
 * select for choices, a password input for secrets (never prefilled, never shown again).
 * Server issues arrive under `values.<NAME>`.
 */
export function ParamForm(props: {
  params: ScriptParam[];
  values: ParamValues;
  onChange: (values: ParamValues) => void;
  failure: ApiFailure | null;
  /** Where the values sit in the request body, for matching server issues. */
  issuePrefix?: string;
}): JSX.Element {
  const set = (name: string, value: string | number | boolean | undefined) => {
    const next = { ...props.values };
    if (value === undefined || value === '') delete next[name];
    else next[name] = value;
    props.onChange(next);
  };
  const path = (name: string) => `${props.issuePrefix ?? 'values'}.${name}`;
  const text = (name: string) => {
    const v = props.values[name];
    return v === undefined ? '' : String(v);
  };

  return (
    <div class="param-form" data-testid="param-form">
      <For each={props.params} fallback={<p class="muted small">This script takes no parameters.</p>}>
        {(p) => (
          <div class="field" data-param={p.name}>
            <Switch>
              <Match when={p.type === 'boolean'}>
                <label class="check">
                  <input type="checkbox" data-testid={`param-${p.name}`} checked={props.values[p.name] === true} onChange={(e) => set(p.name, e.currentTarget.checked)} />
                  {p.label}
                </label>
              </Match>
              <Match when={true}>
                <label for={`param-${p.name}`}>
                  {p.label}
                  {p.required ? ' *' : ''} <span class="muted mono small">PARAM_{p.name}</span>
                </label>
                <Switch>
                  <Match when={p.type === 'number' && p}>
                    {(n) => (
                      <input
                        id={`param-${p.name}`}
                        class="input input-num"
                        type="number"
                        data-testid={`param-${p.name}`}
                        min={n().min ?? ''}
                        max={n().max ?? ''}
                        step={n().integer ? 1 : 'any'}
                        required={p.required}
                        value={text(p.name)}
                        onInput={(e) => set(p.name, e.currentTarget.value === '' ? undefined : Number(e.currentTarget.value))}
                      />
                    )}
                  </Match>
                  <Match when={p.type === 'choice' && p}>
                    {(c) => (
                      <select id={`param-${p.name}`} class="input select" data-testid={`param-${p.name}`} required={p.required} onChange={(e) => set(p.name, e.currentTarget.value || undefined)}>
                        <option value="">{p.required ? 'Choose…' : '(none)'}</option>
                        <For each={c().options}>{(o) => <option value={o} selected={props.values[p.name] === o}>{o}</option>}</For>
                      </select>
                    )}
                  </Match>
                  <Match when={p.type === 'secret'}>
                    <input
                      id={`param-${p.name}`}
                      class="input"
                      type="password"
                      autocomplete="new-password"
                      data-testid={`param-${p.name}`}
                      required={p.required}
                      value={text(p.name)}
                      onInput={(e) => set(p.name, e.currentTarget.value)}
                    />
                  </Match>
                  <Match when={p.type === 'string' && p}>
                    {(s) => (
                      <input
                        id={`param-${p.name}`}
                        class="input"
                        type="text"
                        data-testid={`param-${p.name}`}
                        maxLength={s().maxLength}
                        pattern={s().pattern}
                        required={p.required}
                        value={text(p.name)}
                        onInput={(e) => set(p.name, e.currentTarget.value)}
                      />
                    )}
                  </Match>
                </Switch>
              </Match>
            </Switch>
            <span class="muted small">{p.description}</span>
            <FieldError failure={props.failure} path={path(p.name)} />
          </div>
        )}
      </For>
    </div>
  );
}
