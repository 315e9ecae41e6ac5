import { A, useNavigate, useParams } from '@solidjs/router';
import { createResource, For, Show, type JSX } from 'solid-js';
import { settled } from '../../lib/resource';
import { api, call } from '../../api/client';
import { describeFailure } from '../../api/errors';
import { loadGroups } from '../../state/groups';
import { can } from '../../state/session';
import { showToast } from '../../state/toasts';
import { Empty, Loading } from '../../components/feedback';
import { GroupForm } from './group-form';
import { GroupDetail } from './group-detail';

/** Groups on the left, the open one (from the URL, so it can be linked) on the right. */
export default function GroupsPage(): JSX.Element {
  const params = useParams<{ id?: string }>();
  const navigate = useNavigate();
  const [groups, { refetch }] = createResource(loadGroups);
  const selected = () => {
    const list = settled(groups);
    return params.id ? list?.find((g) => g.id === params.id) : list?.[0];
  };

  const create = async (fields: { name: string; description: string | null }) => {
    const created = await call(api.groups.$post({ json: fields }));
    showToast(`Created ${created.name}`);
    await refetch();
    navigate(`/groups/${created.id}`);
  };

  return (
    <div class="page">
      <div class="page-head">
        <h1>Groups</h1>
        <span class="muted">Devices of any client or site, gathered for one purpose</span>
      </div>
      <div class="split">
        <section class="panel">
          <div class="panel-head">
            <h2>Groups</h2>
            <span class="muted">{settled(groups)?.length ?? ''}</span>
          </div>
          <Show when={can('admin')}>
            <GroupForm submitLabel="Add group" save={create} testId="create-group" />
          </Show>
          <Show when={!groups.error} fallback={<Empty>Could not load groups: {describeFailure(groups.error)}</Empty>}>
            <Show when={settled(groups)} fallback={<Loading />}>
              {(list) => (
                <Show when={list().length} fallback={<Empty>No groups yet.{can('admin') ? ' Add the first one above.' : ''}</Empty>}>
                  <table class="table" data-testid="groups-table">
                    <thead>
                      <tr>
                        <th>Name</th>
                        <th class="num">Devices</th>
                      </tr>
                    </thead>
                    <tbody>
                      <For each={list()}>
                        {(g) => (
                          <tr classList={{ 'is-selected': selected()?.id === g.id }} data-testid="group-row">
                            <td>
                              <A href={`/groups/${g.id}`}>{g.name}</A>
                              <Show when={g.description}>
                                <div class="muted small">{g.description}</div>
                              </Show>
                            </td>
                            <td class="num" data-testid="group-device-count">
                              {g.deviceCount}
                            </td>
                          </tr>
                        )}
                      </For>
                    </tbody>
                  </table>
                </Show>
              )}
            </Show>
          </Show>
        </section>
        {/* Keyed on the id: a refetch hands out new objects for the same group. */}
        <Show
          when={selected()?.id}
          keyed
          fallback={
            <Show when={params.id && settled(groups)}>
              <Empty>
                No such group; it may have been deleted. <A href="/groups">All groups</A>
              </Empty>
            </Show>
          }
        >
          {(_id) => (
            <GroupDetail
              group={selected()!}
              onChanged={() => void refetch()}
              onDeleted={() => {
                navigate('/groups', { replace: true });
                void refetch();
              }}
            />
          )}
        </Show>
      </div>
    </div>
  );
}
