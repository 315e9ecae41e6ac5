import { createSignal, Show, type JSX } from 'solid-js';
import type { CheckDef } from '../../../../protocol/checks';
import { api, call, type Data } from '../../api/client';
import { toFailure } from '../../api/errors';
import { can } from '../../state/session';
import { showToast, toastError } from '../../state/toasts';
import { Empty } from '../../components/feedback';
import type { Policy } from '../escalation/policies';
import { CheckSetForm, type CheckSetFields } from './check-set-form';
import { CheckTable } from './check-table';
import { CheckEditor } from './check-editor';
import { AssignmentsPanel } from './assignments-panel';

export type CheckSet = Data<(typeof api)['check-sets']['$get']>['items'][number];

/** One set: its settings, its checks (saved as a whole list, as the API stores them), and where it applies. */
export function CheckSetDetail(props: { set: CheckSet; policies: Policy[]; onChanged: () => void; onDeleted: () => void }): JSX.Element {
  const id = props.set.id;
  const [editingSettings, setEditingSettings] = createSignal(false);
  // null: no editor; -1: a new check; otherwise the index being edited.
  const [editing, setEditing] = createSignal<number | null>(null);
  const [busy, setBusy] = createSignal(false);
  const admin = () => can('admin');
  const policyName = () => props.policies.find((p) => p.id === props.set.escalationPolicyId)?.name;

  const patch = async (body: Parameters<(typeof api)['check-sets'][':id']['$patch']>[0]['json']) => {
    const res = await call(api['check-sets'][':id'].$patch({ param: { id }, json: body }));
    if (res.recompile.devices) showToast(`${res.recompile.devices.toLocaleString()} ${res.recompile.devices === 1 ? 'device' : 'devices'} ${res.recompile.deferred ? 'being updated' : 'updated'}`);
    props.onChanged();
  };

  const saveSettings = async (fields: CheckSetFields) => {
    await patch(fields);
    setEditingSettings(false);
  };

  /** Saves the list; a refusal about check `index` comes back with paths relative to it. */
  const saveChecks = async (checks: CheckDef[], index: number) => {
    try {
      await patch({ checks });
    } catch (err) {
      throw toFailure(err).within(`checks.${index}`);
    }
  };

  const saveOne = async (check: CheckDef) => {
    const i = editing();
    const list = [...props.set.checks];
    const index = i === null || i < 0 ? list.length : i;
    list[index] = check;
    await saveChecks(list, index);
    setEditing(null);
  };

  const quick = async (checks: CheckDef[], done: string) => {
    setBusy(true);
    try {
      await patch({ checks });
      showToast(done);
    } catch (err) {
      toastError(err);
    } finally {
      setBusy(false);
    }
  };
  const toggle = (i: number) => {
    const c = props.set.checks[i]!;
    void quick(props.set.checks.map((x, j) => (j === i ? { ...x, enabled: !x.enabled } : x)), `${c.enabled ? 'Disabled' : 'Enabled'} ${c.name}`);
  };
  const remove = (i: number) => {
    const c = props.set.checks[i]!;
    if (!confirm(`Remove the check "${c.name}"? Its open alerts resolve.`)) return;
    if (editing() === i) setEditing(null);
    void quick(props.set.checks.filter((_, j) => j !== i), `Removed ${c.name}`);
  };

  const deleteSet = async () => {
    if (!confirm(`Delete the check set "${props.set.name}" and its ${props.set.assignmentCount} assignments? Its checks stop on every device.`)) return;
    try {
      await call(api['check-sets'][':id'].$delete({ param: { id } }));
      showToast(`Deleted ${props.set.name}`);
      props.onDeleted();
    } catch (err) {
      toastError(err);
    }
  };

  const takenKeys = () => props.set.checks.filter((_, j) => j !== editing()).map((c) => c.key);

  return (
    <div class="stack" data-testid="check-set-detail">
      <section class="panel">
        <div class="panel-head">
          <h2>
            <span class="accent" data-testid="set-title">{props.set.name}</span>
          </h2>
          <span class="muted">
            {props.set.checks.length} checks · escalation: {policyName() ?? "tenant's default"}
          </span>
          <span class="spacer" />
          <Show when={admin() && !editingSettings()}>
            <button type="button" class="btn btn-small" onClick={() => setEditingSettings(true)}>
              Edit
            </button>
            <button type="button" class="btn-link danger" onClick={() => void deleteSet()}>
              Delete
            </button>
          </Show>
        </div>
        <Show
          when={editingSettings()}
          fallback={<Show when={props.set.description}><p class="muted pre-line">{props.set.description}</p></Show>}
        >
          <CheckSetForm
            initial={{ name: props.set.name, description: props.set.description, escalationPolicyId: props.set.escalationPolicyId }}
            policies={props.policies}
            submitLabel="Save"
            save={saveSettings}
            onCancel={() => setEditingSettings(false)}
            testId="edit-set-form"
          />
        </Show>
      </section>
      <section class="panel">
        <div class="panel-head">
          <h2>Checks</h2>
          <span class="spacer" />
          <Show when={admin() && editing() === null}>
            <button type="button" class="btn btn-primary btn-small" data-testid="add-check" onClick={() => setEditing(-1)}>
              Add check
            </button>
          </Show>
        </div>
        <Show when={props.set.checks.length} fallback={<Empty>No checks yet.{admin() ? ' Add the first one.' : ''}</Empty>}>
          <CheckTable
            checks={props.set.checks}
            editable={admin()}
            busy={busy() || editing() !== null}
            editingKey={editing() !== null && editing()! >= 0 ? (props.set.checks[editing()!]?.key ?? null) : null}
            onEdit={setEditing}
            onToggle={toggle}
            onRemove={remove}
          />
        </Show>
        {/* Keyed on the index (as text: 0 is a real index): another check opens a fresh form. */}
        <Show when={editing() === null ? undefined : String(editing())} keyed>
          {(key) => {
            const i = Number(key);
            return <CheckEditor initial={i >= 0 ? (props.set.checks[i] ?? null) : null} takenKeys={takenKeys()} save={saveOne} onCancel={() => setEditing(null)} />;
          }}
        </Show>
      </section>
      <AssignmentsPanel checkSetId={id} onChanged={props.onChanged} />
    </div>
  );
}
