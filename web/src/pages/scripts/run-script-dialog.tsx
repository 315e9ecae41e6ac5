import { useNavigate } from '@solidjs/router';
import { createSignal, Show, type JSX } from 'solid-js';
import { api, call } from '../../api/client';
import { createAction } from '../../lib/action';
import { seedJob } from '../../state/jobs';
import type { ScriptItem } from '../../state/scripts';
import { Dialog } from '../../components/dialog';
import { DevicePick } from '../../components/device-pick';
import { SubmitForm } from '../../components/submit-form';
import type { Command } from '../device/command-tracker';
import { FollowCommand } from '../device/command-result';
import { RunErrors, runLabel, ScriptRunForm, type ScriptRunControl } from './script-run-form';

/**
 * "Run…" from the script page: the typed form, then one device (queued here and followed
 * live) or many (the new-job form, with this run as its action).
 */
export function RunScriptDialog(props: { script: ScriptItem; open: boolean; onClose: () => void }): JSX.Element {
  return (
    <Dialog open={props.open} title={`Run ${props.script.name}`} onClose={props.onClose} testId="run-dialog">
      <RunScriptBody script={props.script} onClose={props.onClose} />
    </Dialog>
  );
}

function RunScriptBody(props: { script: ScriptItem; onClose: () => void }): JSX.Element {
  const navigate = useNavigate();
  const [target, setTarget] = createSignal<'device' | 'many'>('device');
  const [deviceId, setDeviceId] = createSignal('');
  const [started, setStarted] = createSignal<{ deviceId: string; command: Pick<Command, 'id' | 'status'> } | null>(null);
  const [missing, setMissing] = createSignal<string[]>([]);
  let form!: ScriptRunControl;

  const run = createAction(async () => {
    const spec = form.spec()!;
    if (target() === 'many') {
      seedJob({ action: spec, actionLabel: runLabel(props.script, spec.version) });
      props.onClose();
      navigate('/jobs/new');
      return;
    }
    const res = await call(api.devices[':id'].commands.$post({ param: { id: deviceId() }, json: spec }));
    setStarted({ deviceId: deviceId(), command: res.command });
  });
  const submit = () => {
    setMissing(form.missing());
    if (missing().length || (target() === 'device' && !deviceId())) return;
    void run.run();
  };

  return (
    <SubmitForm class="form run-dialog" onSubmit={submit}>
      <ScriptRunForm script={props.script} failure={run.failure()} control={(f) => (form = f)} />
      <fieldset class="field">
        <legend>Target</legend>
        <div class="row gap">
          <label class="check">
            <input type="radio" name="run-target" checked={target() === 'device'} onChange={() => setTarget('device')} /> One device
          </label>
          <label class="check">
            <input type="radio" name="run-target" data-testid="run-target-many" checked={target() === 'many'} onChange={() => setTarget('many')} /> Many devices (bulk job)
          </label>
        </div>
        <Show when={target() === 'device'}>
          <DevicePick value={deviceId()} onChange={setDeviceId} testId="run-device" disabled={run.pending()} />
        </Show>
      </fieldset>
      <RunErrors missing={missing()} failure={run.failure()} />
      <div class="row gap dialog-actions">
        <button type="submit" class="btn btn-primary" data-testid="run-submit" disabled={run.pending() || (target() === 'device' && !deviceId())} title="Run (Ctrl+Enter)">
          {target() === 'many' ? 'Choose devices…' : run.pending() ? 'Queuing…' : 'Run'}
        </button>
        <button type="button" class="btn btn-ghost" onClick={() => props.onClose()}>
          Close
        </button>
      </div>
      <Show when={started()} keyed>
        {(s) => (
          <div data-testid="run-result">
            <FollowCommand deviceId={s.deviceId} command={s.command} />
          </div>
        )}
      </Show>
    </SubmitForm>
  );
}
