import { A } from '@solidjs/router';
import { createSignal, type JSX } from 'solid-js';
import { api, call } from '../../api/client';
import { createAction } from '../../lib/action';
import { can } from '../../state/session';
import { platformOf } from '../../../../protocol/scripts';
import { SubmitForm } from '../../components/submit-form';
import { RunErrors } from '../scripts/script-run-form';
import { ScriptPicker, type ScriptPick } from '../scripts/script-picker';
import type { DeviceLive } from './device-live';
import { trackCommand, type TrackedCommand } from './command-tracker';

/** Run a library script on this device: only scripts made for its platform are offered. */
export function LibraryRunner(props: { deviceId: string; osPlatform: string; live: DeviceLive; onStarted: (cmd: TrackedCommand) => void; onFinished: () => void }): JSX.Element {
  const platform = platformOf(props.osPlatform);
  const [missing, setMissing] = createSignal<string[]>([]);
  let pick!: ScriptPick;

  const run = createAction(async () => {
    const res = await call(api.devices[':id'].commands.$post({ param: { id: props.deviceId }, json: pick.spec()! }));
    props.onStarted(trackCommand(props.live, res.command, props.onFinished));
  });
  const submit = () => {
    if (!pick.script()) return;
    setMissing(pick.missing());
    if (!missing().length) void run.run();
  };

  return (
    <SubmitForm class="form" testId="library-runner" onSubmit={submit}>
      <ScriptPicker
        platform={platform}
        label={`Script ${platform ? `(${platform})` : ''}`}
        testId="library-script"
        optionLabel={(s) => `${s.name}${s.builtin ? '' : ' (custom)'}`}
        failure={run.failure()}
        about={(s) => (
          <p class="muted small">
            {s.description} <A href={`/scripts/${s.id}`}>View script</A>
          </p>
        )}
        control={(p) => (pick = p)}
      />
      <RunErrors missing={missing()} failure={run.failure()} />
      <div class="row gap">
        <button type="submit" class="btn btn-primary" data-testid="run-library-script" disabled={run.pending() || !pick.script() || !can('technician')} title="Run (Ctrl+Enter)">
          {run.pending() ? 'Queuing…' : 'Run'}
        </button>
      </div>
    </SubmitForm>
  );
}
