import { For, Show, type JSX } from 'solid-js';
import type { CheckDef } from '../../../../protocol/checks';
import { SeverityBadge } from '../../components/severity';
import { CHECK_TYPE_LABEL, describeCheck } from './check-describe';

/** The checks of one set. Editing happens in the editor below; here: pick, toggle, remove. */
export function CheckTable(props: {
  checks: CheckDef[];
  editable: boolean;
  busy: boolean;
  editingKey: string | null;
  onEdit: (index: number) => void;
  onToggle: (index: number) => void;
  onRemove: (index: number) => void;
}): JSX.Element {
  return (
    <table class="table" data-testid="set-checks">
      <thead>
        <tr>
          <th>Check</th>
          <th>Type</th>
          <th>Severity</th>
          <th class="col-wide">Condition</th>
          <th />
        </tr>
      </thead>
      <tbody>
        <For each={props.checks}>
          {(c, i) => (
            <tr classList={{ 'is-dim': !c.enabled, 'is-selected': props.editingKey === c.key }} data-testid="set-check-row">
              <td>
                <div>{c.name}</div>
                <div class="muted mono small">{c.key}</div>
              </td>
              <td class="nowrap">{CHECK_TYPE_LABEL[c.type]}</td>
              <td>
                <SeverityBadge severity={c.severity} />
                <Show when={!c.enabled}> <span class="badge">disabled</span></Show>
              </td>
              <td class="small">{describeCheck(c)}</td>
              <td class="actions">
                <Show when={props.editable}>
                  <button type="button" class="btn-link" disabled={props.busy} onClick={() => props.onEdit(i())} aria-label={`Edit ${c.name}`}>
                    Edit
                  </button>
                  <button type="button" class="btn-link" disabled={props.busy} onClick={() => props.onToggle(i())} aria-label={`${c.enabled ? 'Disable' : 'Enable'} ${c.name}`}>
                    {c.enabled ? 'Disable' : 'Enable'}
                  </button>
                  <button type="button" class="btn-link danger" disabled={props.busy} onClick={() => props.onRemove(i())} aria-label={`Remove ${c.name}`}>
                    Remove
                  </button>
                </Show>
              </td>
            </tr>
          )}
        </For>
      </tbody>
    </table>
  );
}
