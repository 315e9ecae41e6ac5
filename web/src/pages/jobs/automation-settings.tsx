import { createResource, createSignal, Show, type JSX } from 'solid-js';
import { describeFailure } from '../../api/errors';
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
              <label class="field field-inline">
                <span>Approval needed above (devices)</span>
                <input
                  class="input input-num"
                  type="number"
                  min="1"
                  data-testid="approval-threshold"
                  value={threshold() ?? s().approvalThreshold}
                  onInput={(e) => setThreshold(Number(e.currentTarget.value))}
                />
                <FieldError failure={save.failure()} path="approvalThreshold" />
              </label>
              <label class="field field-inline">
                <span>Keep command history (days)</span>
                <input
                  class="input input-num"
                  type="number"
                  min="7"
                  max="3650"
                  data-testid="history-retention"
                  value={retention() ?? s().historyRetentionDays}
                  onInput={(e) => setRetention(Number(e.currentTarget.value))}
                />
                <FieldError failure={save.failure()} path="historyRetentionDays" />
              </label>
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
