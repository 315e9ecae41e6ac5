import { createResource, createSignal, For, Show, type JSX } from 'solid-js';
import { describeFailure } from '../api/errors';
import { createAction } from '../lib/action';
import { settled } from '../lib/resource';
import { showToast } from '../state/toasts';
import { FieldError, FormError, Loading } from './feedback';

/** One number of a settings object: its key in the API's body and the input's limits. */
export interface NumberSetting<T> {
  key: keyof T & string;
  label: string;
  testId: string;
  min: number;
  max?: number;
  step?: number;
}

/**
 * A tenant's numeric settings as one form: loads them, keeps the edits as a draft over the saved
 * values, and saves the whole object (edits and untouched values together).
 */
export function SettingsPanel<T extends Record<string, number>>(props: {
  title: string;
  testId: string;
  saveTestId: string;
  savedToast: string;
  fields: NumberSetting<T>[];
  load: () => Promise<T>;
  save: (next: T) => Promise<T>;
  onSaved?: () => void;
}): JSX.Element {
  const [settings, { mutate }] = createResource(props.load);
  const [draft, setDraft] = createSignal<Partial<T>>({});
  const save = createAction(async () => {
    const next = await props.save({ ...settled(settings)!, ...draft() });
    mutate(() => next);
    setDraft(() => ({}));
    showToast(props.savedToast);
    props.onSaved?.();
  });
  return (
    <section class="panel" data-testid={props.testId}>
      <div class="panel-head">
        <h2>{props.title}</h2>
      </div>
      <Show when={!settings.error} fallback={<p class="muted">Could not load: {describeFailure(settings.error)}</p>}>
        <Show when={settled(settings)} fallback={<Loading />}>
          {(s) => (
            <form
              class="form form-row action-form"
              onSubmit={(e) => {
                e.preventDefault();
                void save.run();
              }}
            >
              <For each={props.fields}>
                {(f) => (
                  <label class="field field-inline">
                    <span>{f.label}</span>
                    <input
                      class="input input-num"
                      type="number"
                      min={f.min}
                      max={f.max}
                      step={f.step}
                      data-testid={f.testId}
                      value={draft()[f.key] ?? s()[f.key]}
                      onInput={(e) => setDraft((d) => ({ ...d, [f.key]: Number(e.currentTarget.value) }))}
                    />
                    <FieldError failure={save.failure()} path={f.key} />
                  </label>
                )}
              </For>
              <button type="submit" class="btn" data-testid={props.saveTestId} disabled={save.pending()}>
                Save
              </button>
              <FormError failure={save.failure()} fields={props.fields.map((f) => f.key)} />
            </form>
          )}
        </Show>
      </Show>
    </section>
  );
}
