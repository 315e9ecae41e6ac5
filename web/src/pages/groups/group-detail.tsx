import { createMemo, createResource, createSignal, Show, type JSX } from 'solid-js';
import { settled } from '../../lib/resource';
import { api, call } from '../../api/client';
import { loadMembers, type Group } from '../../state/groups';
import { can } from '../../state/session';
import { showToast, toastError } from '../../state/toasts';
import { GroupForm, type GroupFields } from './group-form';
import { GroupMembers } from './group-members';
import { AddMembers } from './add-members';

/** One group: its name and description, its members, and (for admins) the editors. */
export function GroupDetail(props: { group: Group; onChanged: () => void; onDeleted: () => void }): JSX.Element {
  const id = props.group.id;
  const [editing, setEditing] = createSignal(false);
  const [members, { refetch }] = createResource(() => id, loadMembers);
  const memberIds = createMemo(() => new Set((settled(members) ?? []).map((d) => d.id)));
  // Counts on the left come from the group list, so it reloads with every membership change.
  const membershipChanged = () => {
    void refetch();
    props.onChanged();
  };

  const save = async (fields: GroupFields) => {
    await call(api.groups[':id'].$patch({ param: { id }, json: fields }));
    setEditing(false);
    props.onChanged();
  };

  const remove = async () => {
    if (!confirm(`Delete group "${props.group.name}"? Its devices stay; only the grouping goes.`)) return;
    try {
      await call(api.groups[':id'].$delete({ param: { id } }));
      showToast(`Deleted ${props.group.name}`);
      props.onDeleted();
    } catch (err) {
      toastError(err);
    }
  };

  return (
    <div class="stack" data-testid="group-detail">
      <section class="panel">
        <div class="panel-head">
          <h2>
            <span class="accent" data-testid="group-title">
              {props.group.name}
            </span>
          </h2>
          <span class="muted">
            {props.group.deviceCount} {props.group.deviceCount === 1 ? 'device' : 'devices'}
          </span>
          <span class="spacer" />
          <Show when={can('admin') && !editing()}>
            <button type="button" class="btn btn-small" data-testid="edit-group" onClick={() => setEditing(true)}>
              Edit
            </button>
            <button type="button" class="btn-link danger" data-testid="delete-group" onClick={() => void remove()}>
              Delete
            </button>
          </Show>
        </div>
        <Show
          when={editing()}
          fallback={
            <Show when={props.group.description}>
              <p class="muted pre-line">{props.group.description}</p>
            </Show>
          }
        >
          <GroupForm
            initial={{ name: props.group.name, description: props.group.description }}
            submitLabel="Save"
            save={save}
            onCancel={() => setEditing(false)}
            testId="edit-group-form"
          />
        </Show>
        <GroupMembers groupId={id} members={members} onRemoved={membershipChanged} />
      </section>
      <Show when={can('admin')}>
        <AddMembers groupId={id} memberIds={memberIds()} onAdded={membershipChanged} />
      </Show>
    </div>
  );
}
