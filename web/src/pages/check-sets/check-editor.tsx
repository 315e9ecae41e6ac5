import { createSignal, For, Match, Show, Switch, type JSX } from 'solid-js';
import { createStore, reconcile } from 'solid-js/store';
import { Severity, type CheckDef, type CheckType } from '../../../../protocol/checks';
import { ApiFailure } from '../../api/errors';
import { createAction } from '../../lib/action';
import { FieldError, FormError } from '../../components/feedback';
import { CHECK_TYPE_LABEL } from './check-describe';
import { TYPE_DEFAULTS, TYPE_FIELDS, type FieldSpec } from './check-fields';
import { blankForm, formOf, keyFrom, toCheck, type CheckForm } from './check-draft';

const TYPES = Object.keys(TYPE_FIELDS) as CheckType[];
const COMMON = ['type', 'key', 'name', 'severity', 'enabled'];

/**
 * Add or change one check. The schema judges the form before anything is sent; the API's
 * own answer (its paths made relative to this check) lands next to the same fields.
 * Escape cancels; Enter in a one-line field saves.
 */
export function CheckEditor(props: {
  initial: CheckDef | null;
  /** Keys of the set's other checks: a key must be unique within its set. */
  takenKeys: string[];
  save: (check: CheckDef) => Promise<void>;
  onCancel: () => void;
}): JSX.Element {
  const [form, setForm] = createStore<CheckForm>(props.initial ? formOf(props.initial) : blankForm());
  const save = createAction((check: CheckDef) => props.save(check));
  // What the form itself refused before sending; otherwise the server's refusal shows.
  const [invalid, setInvalid] = createSignal<ApiFailure | null>(null);
  const failure = () => invalid() ?? save.failure();
  const pending = save.pending;
  // A new check's key follows its name until someone edits the key itself.
  const [keyTouched, setKeyTouched] = createSignal(!!props.initial);

  const setType = (type: CheckType) => {
    setForm('type', type);
    setForm('fields', reconcile({ ...TYPE_DEFAULTS[type] }));
    setInvalid(null);
    save.clear();
  };

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const result = toCheck(form);
    if ('failure' in result) return setInvalid(result.failure);
    if (props.takenKeys.includes(result.check.key)) {
      return setInvalid(new ApiFailure(400, 'validation_failed', 'duplicate key', [{ path: 'key', message: 'another check in this set has this key' }]));
    }
    setInvalid(null);
    await save.run(result.check);
  };

  const field = (f: FieldSpec) => {
    const value = () => form.fields[f.name];
    const set = (v: string | boolean) => setForm('fields', f.name, v);
    return (
      <label class={f.kind === 'bool' ? 'check field-check' : 'field'} classList={{ 'span-2': !!f.wide }}>
        <Show when={f.kind !== 'bool'}>
          <span>{f.label}</span>
        </Show>
        <Switch>
          <Match when={f.kind === 'bool'}>
            <input type="checkbox" checked={value() === true} onChange={(e) => set(e.currentTarget.checked)} data-testid={`check-field-${f.name}`} />
            {f.label}
          </Match>
          <Match when={f.kind === 'select'}>
            <select class="input select" onChange={(e) => set(e.currentTarget.value)} data-testid={`check-field-${f.name}`}>
              <Show when={!f.required}>
                <option value="">default</option>
              </Show>
              <For each={f.options}>{(o) => <option value={o.value} selected={value() === o.value}>{o.label}</option>}</For>
            </select>
          </Match>
          <Match when={f.kind === 'textarea'}>
            <textarea class="input code-input" rows={8} spellcheck={false} value={(value() as string) ?? ''} onInput={(e) => set(e.currentTarget.value)} data-testid={`check-field-${f.name}`} />
          </Match>
          <Match when={true}>
            <span class="row gap">
              <input
                class="input grow"
                inputMode={f.kind === 'number' ? 'decimal' : undefined}
                placeholder={f.placeholder}
                value={(value() as string) ?? ''}
                onInput={(e) => set(e.currentTarget.value)}
                data-testid={`check-field-${f.name}`}
              />
              <Show when={f.unit?.(form.fields)}>{(u) => <span class="muted">{u()}</span>}</Show>
            </span>
          </Match>
        </Switch>
        <Show when={f.help}>{(h) => <span class="muted small">{h()}</span>}</Show>
        <FieldError failure={failure()} path={f.name} />
      </label>
    );
  };

  return (
    <form class="form form-grid check-editor" data-testid="check-editor" onSubmit={submit} onKeyDown={(e) => e.key === 'Escape' && props.onCancel()}>
      <label class="field">
        <span>Type</span>
        <select class="input select" disabled={!!props.initial} onChange={(e) => setType(e.currentTarget.value as CheckType)} data-testid="check-type" ref={(el) => queueMicrotask(() => el.focus())}>
          <For each={TYPES}>{(t) => <option value={t} selected={form.type === t}>{CHECK_TYPE_LABEL[t]}</option>}</For>
        </select>
      </label>
      <label class="field">
        <span>Severity</span>
        <select class="input select" onChange={(e) => setForm('severity', e.currentTarget.value as CheckForm['severity'])} data-testid="check-severity">
          <For each={Severity.options}>{(s) => <option value={s} selected={form.severity === s}>{s}</option>}</For>
        </select>
      </label>
      <label class="field">
        <span>Name</span>
        <input
          class="input"
          value={form.name}
          data-testid="check-name"
          onInput={(e) => {
            setForm('name', e.currentTarget.value);
            if (!keyTouched()) setForm('key', keyFrom(e.currentTarget.value));
          }}
        />
        <FieldError failure={failure()} path="name" />
      </label>
      <label class="field">
        <span>Key (unique in the set; alerts follow it)</span>
        <input
          class="input mono"
          value={form.key}
          data-testid="check-key"
          onInput={(e) => {
            setKeyTouched(true);
            setForm('key', e.currentTarget.value);
          }}
        />
        <FieldError failure={failure()} path="key" />
      </label>
      <For each={TYPE_FIELDS[form.type] as FieldSpec[]}>{field}</For>
      <label class="check field-check">
        <input type="checkbox" checked={form.enabled} onChange={(e) => setForm('enabled', e.currentTarget.checked)} />
        Enabled
      </label>
      <div class="span-2">
        <FormError failure={failure()} fields={[...COMMON, ...TYPE_FIELDS[form.type].map((f) => f.name)]} />
        <div class="row gap">
          <button type="submit" class="btn btn-primary" disabled={pending()} data-testid="check-save">
            {pending() ? 'Saving…' : props.initial ? 'Save check' : 'Add check'}
          </button>
          <button type="button" class="btn btn-ghost" onClick={() => props.onCancel()}>
            Cancel
          </button>
        </div>
      </div>
    </form>
  );
}
