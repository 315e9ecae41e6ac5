import { A } from '@solidjs/router';
import { createSignal, For, Show, type JSX, type Resource } from 'solid-js';
import { settled } from '../../lib/resource';
import { describeFailure } from '../../api/errors';
import { deviceById, type Device } from '../../state/devices';
import { removeMember } from '../../state/groups';
import { can } from '../../state/session';
import { toastError } from '../../state/toasts';
import { Empty, Loading } from '../../components/feedback';
import { StatusDot } from '../../components/status-dot';

/** The members of a group. Agent-reported values are text nodes. */
export function GroupMembers(props: { groupId: string; members: Resource<Device[]>; onRemoved: () => void }): JSX.Element {
  const [removing, setRemoving] = createSignal<string | null>(null);

  const remove = async (d: Device) => {
    setRemoving(d.id);
    try {
      await removeMember(props.groupId, d.id);
      props.onRemoved();
    } catch (err) {
      toastError(err);
    } finally {
      setRemoving(null);
    }
  };

  return (
    <Show when={!props.members.error} fallback={<Empty>Could not load members: {describeFailure(props.members.error)}</Empty>}>
      <Show when={settled(props.members)} fallback={<Loading label="Loading members…" />}>
        {(list) => (
          <Show when={list().length} fallback={<Empty>No devices in this group yet.</Empty>}>
            <table class="table" classList={{ 'is-loading': props.members.loading }} data-testid="group-members">
              <thead>
                <tr>
                  <th>Status</th>
                  <th>Hostname</th>
                  <th>Client / site</th>
                  <th>IP address</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                <For each={list()}>
                  {(member) => {
                    // The store row follows live status; the fetched one is the fallback.
                    const d = () => deviceById(member.id) ?? member;
                    return (
                      <tr data-testid="member-row">
                        <td>
                          <StatusDot status={d().status} />
                        </td>
                        <td>
                          <A href={`/devices/${member.id}`} data-testid="member-hostname">
                            {d().hostname}
                          </A>
                          <Show when={d().displayName}>{(name) => <div class="muted small">{name()}</div>}</Show>
                        </td>
                        <td>
                          {d().clientName} / {d().siteName}
                        </td>
                        <td class="mono">{(d().ipAddresses ?? [])[0] ?? ''}</td>
                        <td class="actions">
                          <Show when={can('admin')}>
                            <button
                              type="button"
                              class="btn-link danger"
                              aria-label={`Remove ${d().hostname} from the group`}
                              disabled={removing() !== null}
                              onClick={() => void remove(member)}
                            >
                              Remove
                            </button>
                          </Show>
                        </td>
                      </tr>
                    );
                  }}
                </For>
              </tbody>
            </table>
          </Show>
        )}
      </Show>
    </Show>
  );
}
