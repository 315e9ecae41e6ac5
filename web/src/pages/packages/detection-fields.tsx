import { Match, Switch, type JSX } from 'solid-js';
import type { ApiFailure } from '../../api/errors';
import { FieldError } from '../../components/feedback';
import type { DetectionRule } from '../../state/packages';

/** The form's draft: `default` sends no rule (the server detects software named like the package). */
export interface DetectionDraft {
  type: 'default' | 'software' | 'file';
  name: string;
  match: 'exact' | 'atLeast' | 'any';
  path: string;
}

export const DEFAULT_DETECTION: DetectionDraft = { type: 'default', name: '', match: 'exact', path: '' };

export function toDetection(d: DetectionDraft): DetectionRule | undefined {
  if (d.type === 'software') return { type: 'software', name: d.name.trim(), match: d.match };
  if (d.type === 'file') return { type: 'file', path: d.path.trim() };
  return undefined;
}

/** How the agent confirms the install worked: the inventory's software list, or a file. */
export function DetectionFields(props: { value: DetectionDraft; onChange: (d: DetectionDraft) => void; failure: ApiFailure | null }): JSX.Element {
  const set = (p: Partial<DetectionDraft>) => props.onChange({ ...props.value, ...p });
  return (
    <fieldset class="detection-fields" data-testid="detection-fields">
      <legend>Detection (how the agent confirms the install)</legend>
      <div class="row gap wrap">
        <label class="field">
          <span>Rule</span>
          <select class="input select" data-testid="detection-type" onChange={(e) => set({ type: e.currentTarget.value as DetectionDraft['type'] })}>
            <option value="default" selected={props.value.type === 'default'}>
              Software named like the package, this version
            </option>
            <option value="software" selected={props.value.type === 'software'}>
              Software by name
            </option>
            <option value="file" selected={props.value.type === 'file'}>
              A file exists
            </option>
          </select>
        </label>
        <Switch>
          <Match when={props.value.type === 'software'}>
            <label class="field grow">
              <span>Name as the software inventory lists it</span>
              <input class="input" data-testid="detection-name" maxLength={300} value={props.value.name} onInput={(e) => set({ name: e.currentTarget.value })} />
              <FieldError failure={props.failure} path="detection.name" />
            </label>
            <label class="field">
              <span>Version</span>
              <select class="input select" onChange={(e) => set({ match: e.currentTarget.value as DetectionDraft['match'] })}>
                <option value="exact" selected={props.value.match === 'exact'}>exactly this one</option>
                <option value="atLeast" selected={props.value.match === 'atLeast'}>this one or newer</option>
                <option value="any" selected={props.value.match === 'any'}>any</option>
              </select>
            </label>
          </Match>
          <Match when={props.value.type === 'file'}>
            <label class="field grow">
              <span>Absolute path</span>
              <input class="input mono" data-testid="detection-path" maxLength={1024} placeholder="C:\Program Files\App\app.exe" value={props.value.path} onInput={(e) => set({ path: e.currentTarget.value })} />
              <FieldError failure={props.failure} path="detection.path" />
            </label>
          </Match>
        </Switch>
      </div>
      <FieldError failure={props.failure} path="detection" exact />
    </fieldset>
  );
}
