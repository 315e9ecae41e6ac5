import { createSignal, For, Show, type JSX } from 'solid-js';
import { Interpreter } from '../../../../protocol/command';
import { DEFAULT_SCRIPT_TIMEOUT_SECONDS } from '../../../../protocol/limits';
import { api, call } from '../../api/client';
import { createAction } from '../../lib/action';
import { can } from '../../state/session';
import { FieldError, FormError } from '../../components/feedback';
import { TimeoutField } from '../../components/timeout-field';
import type { DeviceLive } from './device-live';
import { trackCommand, type TrackedCommand } from './command-tracker';
import { CommandResult } from './command-result';
import { LibraryRunner } from './library-runner';

const INTERPRETERS = Interpreter.options;
type InterpreterName = (typeof INTERPRETERS)[number];

function defaultInterpreter(osPlatform: string): InterpreterName {
  return osPlatform === 'win32' || osPlatform.toLowerCase().startsWith('win') ? 'powershell' : 'bash';
}

export function ScriptRunner(props: {
  deviceId: string;
  osPlatform: string;
  live: DeviceLive;
  /** Shows a finished or past command in this panel (picked from the history). */
  viewing: TrackedCommand | null;
  onStarted: (cmd: TrackedCommand) => void;
  onFinished: () => void;
}): JSX.Element {
  const [interpreter, setInterpreter] = createSignal<InterpreterName>(defaultInterpreter(props.osPlatform));
  const [script, setScript] = createSignal('');
  const [args, setArgs] = createSignal('');
  const [timeout, setTimeoutSeconds] = createSignal(DEFAULT_SCRIPT_TIMEOUT_SECONDS);
  const [mode, setMode] = createSignal<'adhoc' | 'library'>('adhoc');

  const run = createAction(async () => {
    const res = await call(
      api.devices[':id'].commands.$post({
        param: { id: props.deviceId },
        json: {
          type: 'run_script',
          params: {
            interpreter: interpreter(),
            script: script(),
            args: args().split('\n').map((a) => a.replace(/\r$/, '')).filter((a) => a.length > 0),
            timeoutSeconds: timeout(),
          },
        },
      }),
    );
    props.onStarted(trackCommand(props.live, res.command, props.onFinished));
  });

  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    if (!script().trim()) return;
    void run.run();
  };

  return (
    <section class="panel">
      <div class="panel-head">
        <h2>Run script</h2>
        <Show when={!props.live.connected()}>
          <span class="badge badge-warn" title="Output will be fetched by polling">live output reconnecting</span>
        </Show>
        <span class="spacer" />
        <div class="segmented" role="group" aria-label="Script source">
          <button type="button" class="btn btn-small" classList={{ 'is-active': mode() === 'adhoc' }} aria-pressed={mode() === 'adhoc'} onClick={() => setMode('adhoc')}>
            Ad-hoc
          </button>
          <button
            type="button"
            class="btn btn-small"
            data-testid="mode-library"
            classList={{ 'is-active': mode() === 'library' }}
            aria-pressed={mode() === 'library'}
            onClick={() => setMode('library')}
          >
            Library script
          </button>
        </div>
      </div>
      <Show when={mode() === 'library'}>
        <LibraryRunner deviceId={props.deviceId} osPlatform={props.osPlatform} live={props.live} onStarted={props.onStarted} onFinished={props.onFinished} />
      </Show>
      <Show when={mode() === 'adhoc'}>
        <form class="form script-form" onSubmit={submit}>
          <div class="row gap">
            <label class="field field-inline">
              <span>Interpreter</span>
              <select
                class="input select"
                data-testid="script-interpreter"
                value={interpreter()}
                onChange={(e) => setInterpreter(e.currentTarget.value as InterpreterName)}
              >
                <For each={INTERPRETERS}>{(i) => <option value={i}>{i}</option>}</For>
              </select>
            </label>
            <TimeoutField value={timeout()} fallback={DEFAULT_SCRIPT_TIMEOUT_SECONDS} onChange={setTimeoutSeconds} />
          </div>
          <label class="field">
            <span>Script</span>
            <textarea
              class="input code-input"
              data-testid="script-editor"
              spellcheck={false}
              rows={8}
              placeholder={interpreter() === 'powershell' ? 'Get-Service | Where-Object Status -eq Running' : 'uname -a'}
              value={script()}
              onInput={(e) => setScript(e.currentTarget.value)}
              onKeyDown={(e) => {
                // Ctrl/⌘+Enter runs: the usual shortcut of script consoles.
                if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                  e.preventDefault();
                  e.currentTarget.form?.requestSubmit();
                }
              }}
            />
            <FieldError failure={run.failure()} path="params.script" />
          </label>
          <label class="field">
            <span>Arguments (one per line)</span>
            <textarea class="input code-input" rows={2} spellcheck={false} value={args()} onInput={(e) => setArgs(e.currentTarget.value)} />
            <FieldError failure={run.failure()} path="params.args" />
          </label>
          <FormError failure={run.failure()} fields={['params.script', 'params.args']} />
          <div class="row gap">
            <button
              type="submit"
              class="btn btn-primary"
              data-testid="run-script"
              disabled={run.pending() || !script().trim() || !can('technician')}
              title={can('technician') ? 'Run (Ctrl+Enter)' : 'Your role cannot run scripts'}
            >
              {run.pending() ? 'Queuing…' : 'Run'}
            </button>
          </div>
        </form>
      </Show>
      <Show when={props.viewing} keyed>
        {(cmd) => <CommandResult command={cmd} />}
      </Show>
    </section>
  );
}
