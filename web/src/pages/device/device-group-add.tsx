import { A } from '@solidjs/router';
import { createResource, createSignal, For, Show, type JSX } from 'solid-js';
import { settled } from '../../lib/resource';
import { describeFailure } from '../../api/errors';
import { createAction } from '../../lib/action';
import { addMembers, loadGroups } from '../../state/groups';
import { showToast } from '../../state/toasts';
import { FormError } from '../../components/feedback';

/** "Add to group" for one device. */
export function DeviceGroupAdd(props: { deviceId: string }): JSX.Element {
  const [groups] = createResource(loadGroups);
  const [groupId, setGroupId] = createSignal('');

  const add = createAction(async () => {
    const group = settled(groups)?.find((g) => g.id === groupId());
    const name = group?.name ?? 'the group';
    const added = await addMembers(groupId(), [props.deviceId]);
    showToast(added ? `Added to ${name}` : `Already in ${name}`);
    setGroupId('');
  });

  return (
    <Show when={!groups.error} fallback={<span class="muted">Could not load groups: {describeFailure(groups.error)}</span>}>
      <Show when={settled(groups)}>
        {(list) => (
          <Show
            when={list().length}
            fallback={
              <span class="muted">
                No groups yet. <A href="/groups">Create one</A>
              </span>
            }
          >
            <form
              class="row gap"
              onSubmit={(e) => {
                e.preventDefault();
                void add.run();
              }}
            >
              <select
                class="input select"
                aria-label="Group"
                data-testid="add-to-group-select"
                onChange={(e) => setGroupId(e.currentTarget.value)}
              >
                <option value="" selected={!groupId()}>
                  Choose a group…
                </option>
                <For each={list()}>{(g) => <option value={g.id}>{g.name}</option>}</For>
              </select>
              <button type="submit" class="btn btn-small" data-testid="add-to-group" disabled={!groupId() || add.pending()}>
                Add to group
              </button>
            </form>
          </Show>
        )}
      </Show>
      <FormError failure={add.failure()} />
    </Show>
  );
}
