import { createResource, createSignal, Show, type JSX } from 'solid-js';
import { describeFailure, type ApiFailure } from '../../api/errors';
import { createAction } from '../../lib/action';
import { settled } from '../../lib/resource';
import { showToast } from '../../state/toasts';
import { loadAutomationSettings, saveAutomationSettings } from '../../state/jobs';
import { FieldError, FormError, Loading } from '../../components/feedback';

/** Admins: how many devices a job may name before a second person must approve it, and how long history is kept. */
export function AutomationSettingsPanel(): JSX.Element {
  const [settings, { mutate }] = createResource(loadAutomationSettings);
  const [threshold, setThreshold] = createSignal<number | null>(null);
  const [retention, setRetention] = createSignal<number | null>(null);
  const save = createAction(async () => {
    const s = settled(settings)!;
    const next = await saveAutomationSettings({ approvalThreshold: threshold() ?? s.approvalThreshold, historyRetentionDays: retention() ?? s.historyRetentionDays });
    mutate(next);
    showToast('Automation settings saved');
  });
  return (
    <section class="panel" data-testid="automation-settings">
      <div class="panel-head">
        <h2>Automation settings</h2>
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
              <NumberField label="Approval needed above (devices)" testId="approval-threshold" min={1} value={threshold() ?? s().approvalThreshold} onInput={setThreshold} failure={save.failure()} path="approvalThreshold" />
              <NumberField
                label="Keep command history (days)"
                testId="history-retention"
                min={7}
                max={3650}
                value={retention() ?? s().historyRetentionDays}
                onInput={setRetention}
                failure={save.failure()}
                path="historyRetentionDays"
              />
              <button type="submit" class="btn" data-testid="save-automation" disabled={save.pending()}>
                Save
              </button>
              <FormError failure={save.failure()} fields={['approvalThreshold', 'historyRetentionDays']} />
            </form>
          )}
        </Show>
      </Show>
    </section>
  );
}

function NumberField(props: { label: string; testId: string; min: number; max?: number; value: number; onInput: (n: number) => void; failure: ApiFailure | null; path: string }): JSX.Element {
  return (
    <label class="field field-inline">
      <span>{props.label}</span>
      <input class="input input-num" type="number" min={props.min} max={props.max} data-testid={props.testId} value={props.value} onInput={(e) => props.onInput(Number(e.currentTarget.value))} />
      <FieldError failure={props.failure} path={props.path} />
    </label>
  );
}
