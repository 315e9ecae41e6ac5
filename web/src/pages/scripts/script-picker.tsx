import { createResource, createSignal, For, Show, type JSX } from 'solid-js';
import type { Platform } from '../../../../protocol/scripts';
import type { ApiFailure } from '../../api/errors';
import { settled } from '../../lib/resource';
import { scriptsFor, type ScriptItem } from '../../state/scripts';
import { ScriptRunForm, type ScriptRunControl } from './script-run-form';

/** The picked script and its run; the run is null (and nothing is missing) until a script is picked. */
export interface ScriptPick extends ScriptRunControl {
  script: () => ScriptItem | undefined;
}

/**
 * Pick a library script (only `platform`'s, or all), then how to run it (ScriptRunForm).
 * `pickError` sits under the choice; `about` between the choice and the run form.
 */
export function ScriptPicker(props: {
  platform: Platform | null;
  label: string;
  testId: string;
  optionLabel: (s: ScriptItem) => string;
  failure: ApiFailure | null;
  pickError?: JSX.Element;
  about?: (s: ScriptItem) => JSX.Element;
  control: (pick: ScriptPick) => void;
}): JSX.Element {
  const [scripts] = createResource(() => scriptsFor(props.platform));
  const [scriptId, setScriptId] = createSignal('');
  const script = () => settled(scripts)?.find((s) => s.id === scriptId());
  let form: ScriptRunControl | undefined;
  props.control({
    script,
    spec: () => (script() && form ? form.spec() : null),
    missing: () => (script() && form ? form.missing() : []),
  });

  return (
    <>
      <label class="field">
        <span>{props.label}</span>
        <select class="input select" data-testid={props.testId} onChange={(e) => setScriptId(e.currentTarget.value)}>
          <option value="">{scripts.loading ? 'Loading…' : 'Choose a script…'}</option>
          <For each={settled(scripts)}>{(s) => <option value={s.id} selected={s.id === scriptId()}>{props.optionLabel(s)}</option>}</For>
        </select>
        {props.pickError}
      </label>
      <Show when={script()} keyed>
        {(s) => (
          <>
            {props.about?.(s)}
            <ScriptRunForm script={s} failure={props.failure} control={(c) => (form = c)} />
          </>
        )}
      </Show>
    </>
  );
}
