import { A } from '@solidjs/router';
import { createResource, createSignal, For, Show, type JSX } from 'solid-js';
import { api, call } from '../../api/client';
import { createAction } from '../../lib/action';
import { settled } from '../../lib/resource';
import { can } from '../../state/session';
import { scriptsFor } from '../../state/scripts';
import { platformOf } from '../../../../protocol/scripts';
import { FormError } from '../../components/feedback';
import { ScriptRunForm, type ScriptRun } from '../scripts/script-run-form';
import type { DeviceLive } from './device-live';
import { trackCommand, type TrackedCommand } from './command-tracker';

/** Run a library script on this device: only scripts made for its platform are offered. */
export function LibraryRunner(props: { deviceId: string; osPlatform: string; live: DeviceLive; onStarted: (cmd: TrackedCommand) => void; onFinished: () => void }): JSX.Element {
  const platform = platformOf(props.osPlatform);
  const [scripts] = createResource(() => scriptsFor(platform));
  const [scriptId, setScriptId] = createSignal('');
  const [missing, setMissing] = createSignal<string[]>([]);
  const script = () => settled(scripts)?.find((s) => s.id === scriptId());
  let form: { spec: () => ScriptRun | null; missing: () => string[] } | undefined;

  const run = createAction(async () => {
    const res = await call(api.devices[':id'].commands.$post({ param: { id: props.deviceId }, json: form!.spec()! }));
    props.onStarted(trackCommand(props.live, res.command, props.onFinished));
  });
  const submit = () => {
    if (!form) return;
    setMissing(form.missing());
    if (!missing().length) void run.run();
  };

  return (
    <form
      class="form"
      data-testid="library-runner"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
          e.preventDefault();
          submit();
        }
      }}
    >
      <label class="field">
        <span>Script {platform ? `(${platform})` : ''}</span>
        <select class="input select" data-testid="library-script" onChange={(e) => setScriptId(e.currentTarget.value)}>
          <option value="">{scripts.loading ? 'Loading…' : 'Choose a script…'}</option>
          <For each={settled(scripts)}>{(s) => <option value={s.id} selected={s.id === scriptId()}>{`${s.name}${s.builtin ? '' : ' (custom)'}`}</option>}</For>
        </select>
      </label>
      <Show when={script()} keyed>
        {(s) => (
          <>
            <p class="muted small">
              {s.description} <A href={`/scripts/${s.id}`}>View script</A>
            </p>
            <ScriptRunForm script={s} failure={run.failure()} control={(c) => (form = c)} />
          </>
        )}
      </Show>
      <Show when={missing().length}>
        <div class="form-error" role="alert">
          Required: {missing().join(', ')}
        </div>
      </Show>
      <FormError failure={run.failure()} fields={['values', 'version', 'runAs', 'timeoutSeconds']} />
      <div class="row gap">
        <button type="submit" class="btn btn-primary" data-testid="run-library-script" disabled={run.pending() || !script() || !can('technician')} title="Run (Ctrl+Enter)">
          {run.pending() ? 'Queuing…' : 'Run'}
        </button>
      </div>
    </form>
  );
}
