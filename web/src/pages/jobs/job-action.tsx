import { createSignal, For, Match, Switch, type JSX } from 'solid-js';
import type { CommandSpec } from '../../../../protocol/api/commands';
import { Interpreter } from '../../../../protocol/command';
import { MAX_POWER_DELAY_SECONDS } from '../../../../protocol/limits';
import type { ApiFailure } from '../../api/errors';
import { FieldError } from '../../components/feedback';
import { ScriptPicker, type ScriptPick } from '../scripts/script-picker';

const KINDS = [
  { id: 'script', label: 'Library script' },
  { id: 'run_script', label: 'Ad-hoc script' },
  { id: 'service', label: 'Service start / stop / restart' },
  { id: 'power', label: 'Reboot / shut down' },
  { id: 'power_cancel', label: 'Cancel pending reboot / shutdown' },
  { id: 'process_list', label: 'Collect process list' },
] as const;
type Kind = (typeof KINDS)[number]['id'];

export interface ActionControl {
  /** The action, or a reason it is not complete yet. */
  spec: () => CommandSpec | string;
  label: () => string;
}

/** What a job runs: a library script with typed values, or one of the plain command types. */
export function JobActionPicker(props: { failure: ApiFailure | null; control: (c: ActionControl) => void }): JSX.Element {
  const [kind, setKind] = createSignal<Kind>('script');
  let pick!: ScriptPick;

  const [interpreter, setInterpreter] = createSignal<Interpreter>('bash');
  const [body, setBody] = createSignal('');
  const [service, setService] = createSignal('');
  const [serviceAction, setServiceAction] = createSignal<'start' | 'stop' | 'restart'>('restart');
  const [powerAction, setPowerAction] = createSignal<'reboot' | 'shutdown'>('reboot');
  const [delay, setDelay] = createSignal(300);
  const [message, setMessage] = createSignal('');

  props.control({
    spec: () => {
      switch (kind()) {
        case 'script': {
          if (!pick.script()) return 'pick a script';
          const missing = pick.missing();
          return missing.length ? `required: ${missing.join(', ')}` : pick.spec()!;
        }
        case 'run_script':
          return body().trim() ? { type: 'run_script', params: { interpreter: interpreter(), script: body(), args: [], timeoutSeconds: 300, env: {}, secretEnv: [], runAs: 'system' } } : 'write the script';
        case 'service':
          return service().trim() ? { type: 'service', params: { name: service().trim(), action: serviceAction() } } : 'name the service';
        case 'power':
          return { type: 'power', params: { action: powerAction(), delaySeconds: delay(), message: message() } };
        case 'power_cancel':
          return { type: 'power_cancel', params: {} };
        case 'process_list':
          return { type: 'process_list', params: {} };
      }
    },
    label: () => (kind() === 'script' && pick.script() ? `script: ${pick.script()!.name}` : (KINDS.find((k) => k.id === kind())?.label ?? kind())),
  });

  return (
    <div class="job-action" data-testid="job-action">
      <label class="field">
        <span>Action</span>
        <select class="input select" data-testid="job-action-kind" onChange={(e) => setKind(e.currentTarget.value as Kind)}>
          <For each={KINDS}>{(k) => <option value={k.id} selected={k.id === kind()}>{k.label}</option>}</For>
        </select>
      </label>
      <Switch>
        <Match when={kind() === 'script'}>
          <ScriptPicker
            platform={null}
            label="Script"
            testId="job-script"
            optionLabel={(s) => `${s.name} (${s.platforms.join(', ')})`}
            failure={props.failure?.within('action') ?? null}
            pickError={<FieldError failure={props.failure} path="action.scriptId" />}
            control={(p) => (pick = p)}
          />
        </Match>
        <Match when={kind() === 'run_script'}>
          <label class="field field-inline">
            <span>Interpreter</span>
            <select class="input select" onChange={(e) => setInterpreter(e.currentTarget.value as Interpreter)}>
              <For each={Interpreter.options}>{(i) => <option value={i} selected={i === interpreter()}>{i}</option>}</For>
            </select>
          </label>
          <label class="field">
            <span>Script</span>
            <textarea class="input code-input" rows={6} spellcheck={false} data-testid="job-adhoc-script" value={body()} onInput={(e) => setBody(e.currentTarget.value)} />
            <FieldError failure={props.failure} path="action.params.script" />
          </label>
        </Match>
        <Match when={kind() === 'service'}>
          <div class="row gap">
            <label class="field grow">
              <span>Service name</span>
              <input class="input mono" value={service()} onInput={(e) => setService(e.currentTarget.value)} />
              <FieldError failure={props.failure} path="action.params.name" />
            </label>
            <label class="field">
              <span>Action</span>
              <select class="input select" onChange={(e) => setServiceAction(e.currentTarget.value as 'start' | 'stop' | 'restart')}>
                <option value="restart">restart</option>
                <option value="start">start</option>
                <option value="stop">stop</option>
              </select>
            </label>
          </div>
        </Match>
        <Match when={kind() === 'power'}>
          <div class="row gap wrap">
            <label class="field">
              <span>Power action</span>
              <select class="input select" onChange={(e) => setPowerAction(e.currentTarget.value as 'reboot' | 'shutdown')}>
                <option value="reboot">reboot</option>
                <option value="shutdown">shut down</option>
              </select>
            </label>
            <label class="field">
              <span>Delay (s)</span>
              <input class="input input-num" type="number" min="0" max={MAX_POWER_DELAY_SECONDS} value={delay()} onInput={(e) => setDelay(Number(e.currentTarget.value) || 0)} />
            </label>
            <label class="field grow">
              <span>Message to users</span>
              <input class="input" maxLength={500} value={message()} onInput={(e) => setMessage(e.currentTarget.value)} />
              <FieldError failure={props.failure} path="action.params.message" />
            </label>
          </div>
        </Match>
      </Switch>
    </div>
  );
}
