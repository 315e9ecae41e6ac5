import { For, Match, Show, Switch, type JSX } from 'solid-js';
import type { ScriptParam, ScriptParamType } from '../../../../protocol/scripts';
import type { ApiFailure } from '../../api/errors';
import { FieldError } from '../../components/feedback';

const TYPES: ScriptParamType[] = ['string', 'number', 'boolean', 'choice', 'secret'];

/** A parameter of another type keeps what all types share; the rest starts empty. */
function retype(p: ScriptParam, type: ScriptParamType): ScriptParam {
  const common = { name: p.name, label: p.label, description: p.description, required: p.required };
  switch (type) {
    case 'choice':
      return { ...common, type, options: ['yes', 'no'] };
    case 'number':
      return { ...common, type, integer: false };
    default:
      return { ...common, type };
  }
}

const num = (s: string) => (s.trim() === '' ? undefined : Number(s));
const opt = (s: string) => (s === '' ? undefined : s);

/** The typed parameters of a script: add, remove, reorder, and each type's own fields. */
export function ParamsEditor(props: { params: ScriptParam[]; onChange: (p: ScriptParam[]) => void; readOnly: boolean; failure: ApiFailure | null }): JSX.Element {
  const update = (i: number, next: ScriptParam) => props.onChange(props.params.map((p, k) => (k === i ? next : p)));
  const patch = (i: number, fields: Record<string, unknown>) => update(i, { ...props.params[i]!, ...fields } as ScriptParam);
  const move = (i: number, by: number) => {
    const list = [...props.params];
    const [p] = list.splice(i, 1);
    list.splice(i + by, 0, p!);
    props.onChange(list);
  };
  const add = () => {
    let n = props.params.length + 1;
    while (props.params.some((p) => p.name === `PARAM${n}`)) n++;
    props.onChange([...props.params, { type: 'string', name: `PARAM${n}`, label: `Parameter ${n}`, description: '', required: false }]);
  };

  return (
    <div class="params-editor" data-testid="params-editor">
      <For each={props.params} fallback={<p class="muted small">No parameters. Values reach the script as PARAM_&lt;NAME&gt; environment variables.</p>}>
        {(p, i) => (
          <fieldset class="param-row" disabled={props.readOnly} data-testid="param-row">
            <div class="row gap wrap">
              <label class="field field-inline">
                <span>Name</span>
                <input class="input mono input-small" value={p.name} aria-label="Parameter name" onChange={(e) => patch(i(), { name: e.currentTarget.value.toUpperCase() })} />
              </label>
              <label class="field field-inline">
                <span>Label</span>
                <input class="input input-small" value={p.label} onChange={(e) => patch(i(), { label: e.currentTarget.value })} />
              </label>
              <label class="field field-inline">
                <span>Type</span>
                <select class="input select input-small" aria-label="Parameter type" onChange={(e) => update(i(), retype(p, e.currentTarget.value as ScriptParamType))}>
                  <For each={TYPES}>{(t) => <option value={t} selected={t === p.type}>{t}</option>}</For>
                </select>
              </label>
              <label class="check">
                <input type="checkbox" checked={p.required} onChange={(e) => patch(i(), { required: e.currentTarget.checked })} /> required
              </label>
              <span class="spacer" />
              <Show when={!props.readOnly}>
                <button type="button" class="btn btn-small btn-ghost" aria-label={`Move ${p.name} up`} disabled={i() === 0} onClick={() => move(i(), -1)}>
                  ↑
                </button>
                <button type="button" class="btn btn-small btn-ghost" aria-label={`Move ${p.name} down`} disabled={i() === props.params.length - 1} onClick={() => move(i(), 1)}>
                  ↓
                </button>
                <button type="button" class="btn btn-small danger-btn" aria-label={`Remove ${p.name}`} onClick={() => props.onChange(props.params.filter((_, k) => k !== i()))}>
                  Remove
                </button>
              </Show>
            </div>
            <div class="row gap wrap">
              <label class="field field-inline grow">
                <span>Description</span>
                <input class="input input-small" value={p.description} onChange={(e) => patch(i(), { description: e.currentTarget.value })} />
              </label>
              <Switch>
                <Match when={p.type === 'string' && p}>
                  {(s) => (
                    <>
                      <label class="field field-inline">
                        <span>Default</span>
                        <input class="input input-small" value={s().default ?? ''} onChange={(e) => patch(i(), { default: opt(e.currentTarget.value) })} />
                      </label>
                      <label class="field field-inline">
                        <span>Max length</span>
                        <input class="input input-num" type="number" min="1" max="4096" value={s().maxLength ?? ''} onChange={(e) => patch(i(), { maxLength: num(e.currentTarget.value) })} />
                      </label>
                      <label class="field field-inline">
                        <span>Pattern</span>
                        <input class="input input-small mono" value={s().pattern ?? ''} onChange={(e) => patch(i(), { pattern: opt(e.currentTarget.value) })} />
                      </label>
                    </>
                  )}
                </Match>
                <Match when={p.type === 'number' && p}>
                  {(n) => (
                    <>
                      <label class="field field-inline">
                        <span>Default</span>
                        <input class="input input-num" type="number" value={n().default ?? ''} onChange={(e) => patch(i(), { default: num(e.currentTarget.value) })} />
                      </label>
                      <label class="field field-inline">
                        <span>Min</span>
                        <input class="input input-num" type="number" value={n().min ?? ''} onChange={(e) => patch(i(), { min: num(e.currentTarget.value) })} />
                      </label>
                      <label class="field field-inline">
                        <span>Max</span>
                        <input class="input input-num" type="number" value={n().max ?? ''} onChange={(e) => patch(i(), { max: num(e.currentTarget.value) })} />
                      </label>
                      <label class="check">
                        <input type="checkbox" checked={n().integer} onChange={(e) => patch(i(), { integer: e.currentTarget.checked })} /> whole numbers
                      </label>
                    </>
                  )}
                </Match>
                <Match when={p.type === 'boolean' && p}>
                  {(b) => (
                    <label class="check">
                      <input type="checkbox" checked={b().default === true} onChange={(e) => patch(i(), { default: e.currentTarget.checked })} /> on by default
                    </label>
                  )}
                </Match>
                <Match when={p.type === 'choice' && p}>
                  {(c) => (
                    <>
                      <label class="field field-inline grow">
                        <span>Options (comma-separated)</span>
                        <input
                          class="input input-small"
                          value={c().options.join(', ')}
                          onChange={(e) => patch(i(), { options: e.currentTarget.value.split(',').map((o) => o.trim()).filter(Boolean) })}
                        />
                      </label>
                      <label class="field field-inline">
                        <span>Default</span>
                        <select class="input select input-small" onChange={(e) => patch(i(), { default: opt(e.currentTarget.value) })}>
                          <option value="">(none)</option>
                          <For each={c().options}>{(o) => <option value={o} selected={o === c().default}>{o}</option>}</For>
                        </select>
                      </label>
                    </>
                  )}
                </Match>
                <Match when={p.type === 'secret'}>
                  <span class="muted small">Secrets have no default and show as ****** in output and history.</span>
                </Match>
              </Switch>
            </div>
            <FieldError failure={props.failure} path={`params.${i()}`} />
          </fieldset>
        )}
      </For>
      <FieldError failure={props.failure} path="params" exact />
      <Show when={!props.readOnly}>
        <button type="button" class="btn btn-small" data-testid="add-param" onClick={add}>
          Add parameter
        </button>
      </Show>
    </div>
  );
}
