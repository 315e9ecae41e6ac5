import { createMemo, createResource, createSignal, For, Show, type JSX } from 'solid-js';
import type { CommandSpec } from '../../../../protocol/api/commands';
import type { RunAs } from '../../../../protocol/command';
import type { ParamValues } from '../../../../protocol/scripts';
import type { ApiFailure } from '../../api/errors';
import { settled } from '../../lib/resource';
import { loadVersions, type ScriptItem } from '../../state/scripts';
import { defaultValues, missingRequired, ParamForm } from '../../components/param-form';
import { FieldError, FormError } from '../../components/feedback';
import { TimeoutField } from '../../components/timeout-field';

export type ScriptRun = Extract<CommandSpec, { type: 'script' }>;

/** How a parent reads the run a ScriptRunForm describes. */
export interface ScriptRunControl {
  spec: () => ScriptRun | null;
  missing: () => string[];
}

/** A run's one-line description, as jobs and titles show it. Never includes values. */
export function runLabel(script: Pick<ScriptItem, 'name'>, version: number | undefined): string {
  return `script: ${script.name}${version ? ` v${version}` : ''}`;
}

/**
 * How to run one library script: which version (the latest unless picked), its typed
 * parameters, whose account, the timeout. `children` is the target and submit row; the
 * parent reads the run with `spec()` through `control`.
 */
export function ScriptRunForm(props: {
  script: ScriptItem;
  failure: ApiFailure | null;
  control: (api: ScriptRunControl) => void;
}): JSX.Element {
  const [versions] = createResource(() => props.script.id, loadVersions);
  const [version, setVersion] = createSignal<number | null>(null);
  const params = createMemo(() => (version() === null ? props.script.params : (settled(versions)?.find((v) => v.version === version())?.params ?? props.script.params)));
  const [values, setValues] = createSignal<ParamValues>(defaultValues(props.script.params));
  const [runAs, setRunAs] = createSignal<RunAs>('system');
  const [timeout, setTimeoutSeconds] = createSignal(props.script.defaultTimeoutSeconds);

  const pickVersion = (raw: string) => {
    const n = raw ? Number(raw) : null;
    setVersion(n);
    // Values of parameters the picked version does not know would be refused.
    const known = new Set(params().map((p) => p.name));
    setValues(Object.fromEntries(Object.entries({ ...defaultValues(params()), ...values() }).filter(([k]) => known.has(k))));
  };

  props.control({
    spec: () => ({
      type: 'script',
      scriptId: props.script.id,
      ...(version() !== null ? { version: version()! } : {}),
      values: values(),
      runAs: runAs(),
      timeoutSeconds: timeout(),
    }),
    missing: () => missingRequired(params(), values()),
  });

  return (
    <div class="script-run-form">
      <div class="row gap wrap">
        <label class="field field-inline">
          <span>Version</span>
          <select class="input select" data-testid="run-version" onChange={(e) => pickVersion(e.currentTarget.value)}>
            <option value="">latest (v{props.script.version})</option>
            <For each={(settled(versions) ?? []).slice(1)}>{(v) => <option value={v.version}>v{v.version}{v.note ? ` — ${v.note}` : ''}</option>}</For>
          </select>
          <FieldError failure={props.failure} path="version" />
        </label>
        <label class="field field-inline">
          <span>Run as</span>
          <select class="input select" data-testid="run-as" onChange={(e) => setRunAs(e.currentTarget.value as RunAs)}>
            <option value="system">system (root / SYSTEM)</option>
            <option value="user">logged-in user</option>
          </select>
          <FieldError failure={props.failure} path="runAs" />
        </label>
        <TimeoutField value={timeout()} fallback={props.script.defaultTimeoutSeconds} onChange={setTimeoutSeconds} failure={props.failure} />
      </div>
      <Show when={params()} keyed>
        {(ps) => <ParamForm params={ps} values={values()} onChange={setValues} failure={props.failure} />}
      </Show>
    </div>
  );
}

/** Under a run's form: the required values still empty, then what the server refused that no field shows. */
export function RunErrors(props: { missing: string[]; failure: ApiFailure | null }): JSX.Element {
  return (
    <>
      <Show when={props.missing.length}>
        <div class="form-error" role="alert">
          Required: {props.missing.join(', ')}
        </div>
      </Show>
      <FormError failure={props.failure} fields={['values', 'version', 'runAs', 'timeoutSeconds']} />
    </>
  );
}
