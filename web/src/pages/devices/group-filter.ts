import { createEffect, createMemo, createSignal, on, onMount, type Accessor } from 'solid-js';
import { loadGroups, loadMemberIds, type Group } from '../../state/groups';
import { toastError } from '../../state/toasts';

export interface GroupFilter {
  /** Choices for the group menu. */
  groups: Accessor<Group[]>;
  /** Device ids of the chosen group; empty while none is chosen or it loads. */
  memberIds: Accessor<ReadonlySet<string>>;
  loading: Accessor<boolean>;
  /** Reload the menu and the chosen group's members (membership is not pushed live). */
  refresh: () => void;
}

/**
 * The device rows do not say which groups they are in, so filtering by a group fetches
 * its member ids once and filters the loaded rows by them, like every other filter.
 * Signals rather than resources: a resource read here would suspend the whole list.
 */
export function createGroupFilter(groupId: Accessor<string>): GroupFilter {
  const [groups, setGroups] = createSignal<Group[]>([]);
  const [memberIds, setMemberIds] = createSignal<ReadonlySet<string>>(new Set());
  const [loading, setLoading] = createSignal(false);
  let ticket = 0;

  const loadMenu = () => loadGroups().then(setGroups, toastError);

  const loadMembers = async (id: string, keepShown = false) => {
    const mine = ++ticket;
    if (!keepShown) setMemberIds(new Set<string>());
    if (!id) return setLoading(false);
    setLoading(true);
    try {
      const ids = await loadMemberIds(id);
      // A slow answer for a group no longer chosen must not overwrite the current one.
      if (mine === ticket) setMemberIds(ids);
    } catch (err) {
      if (mine === ticket) toastError(err);
    } finally {
      if (mine === ticket) setLoading(false);
    }
  };

  onMount(() => void loadMenu());
  // A memo: the filter object changes on every keystroke, the group far more rarely.
  const chosen = createMemo(groupId);
  createEffect(on(chosen, (id) => void loadMembers(id)));

  return {
    groups,
    memberIds,
    loading,
    refresh() {
      void loadMenu();
      void loadMembers(chosen(), true);
    },
  };
}
