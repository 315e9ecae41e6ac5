import { createResource, createSignal, Show, type JSX } from 'solid-js';
import { describeFailure } from '../../api/errors';
import { createAction } from '../../lib/action';
import { settled } from '../../lib/resource';
import { showToast } from '../../state/toasts';
import { FieldError, FormError, Loading } from '../../components/feedback';
import { loadLifecycleSettings, saveLifecycleSettings } from './lifecycle-data';

/** Admins: the age at which devices are due for replacement (a poor health score brings it forward). */
export function LifecycleSettingsPanel(props: { onSaved: () => void }): JSX.Element {
  const [settings, { mutate }] = createResource(loadLifecycleSettings);
  const [years, setYears] = createSignal<number | null>(null);
  const save = createAction(async () => {
    const next = await saveLifecycleSettings({ replaceAfterYears: years() ?? settled(settings)!.replaceAfterYears });
    mutate(next);
    setYears(null);
    showToast('Lifecycle settings saved');
    props.onSaved();
  });
  return (
    <section class="panel" data-testid="lifecycle-settings">
      <div class="panel-head">
        <h2>Lifecycle settings</h2>
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
              <label class="field field-inline">
                <span>Replace devices after (years)</span>
                <input
                  class="input input-num"
                  type="number"
                  min={1}
                  max={15}
                  step={1}
                  data-testid="replace-after-years"
                  value={years() ?? s().replaceAfterYears}
                  onInput={(e) => setYears(Number(e.currentTarget.value))}
                />
                <FieldError failure={save.failure()} path="replaceAfterYears" />
              </label>
              <button type="submit" class="btn" data-testid="save-lifecycle-settings" disabled={save.pending()}>
                Save
              </button>
              <FormError failure={save.failure()} fields={['replaceAfterYears']} />
            </form>
          )}
        </Show>
      </Show>
    </section>
  );
}
