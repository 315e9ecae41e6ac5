import { createResource, For, Show, type JSX } from 'solid-js';
import { settled } from '../../lib/resource';
import { api, call, type Data } from '../../api/client';
import { describeFailure } from '../../api/errors';
import { formatDateTime, formatMs } from '../../lib/format';
import { onCommandEvent } from '../../state/tenant-feed';
import { Empty, Loading } from '../../components/feedback';

import { describeCommand } from './device-command';
import { CommandStatusBadge } from './command-status';

type CommandItem = Data<(typeof api.devices)[':id']['commands']['$get']>['items'][number];

export function CommandHistory(props: {
  deviceId: string;
  /** Bumped by the page when it knows the list changed (a run started or finished). */
  version: number;
  selectedId: string | null;
  onSelect: (id: string) => void;
}): JSX.Element {
  const [items, { refetch }] = createResource(
    () => [props.deviceId, props.version] as const,
    ([id]) => call(api.devices[':id'].commands.$get({ param: { id }, query: { limit: '25' } })).then((r) => r.items),
  );
  onCommandEvent((e) => e.deviceId === props.deviceId && void refetch());

  return (
    <section class="panel">
      <div class="panel-head">
        <h2>Recent commands</h2>
      </div>
      <Show when={!items.error} fallback={<Empty>Could not load commands: {describeFailure(items.error)}</Empty>}>
        <Show when={settled(items)} fallback={<Loading />}>
          {(list) => (
            <Show when={list().length} fallback={<Empty>No commands run on this device yet.</Empty>}>
              <table class="table table-click" data-testid="command-history">
                <thead>
                  <tr>
                    <th>Queued</th>
                    <th class="col-wide">Command</th>
                    <th>Status</th>
                    <th class="num">Exit</th>
                    <th class="num">Duration</th>
                  </tr>
                </thead>
                <tbody>
                  <For each={list()}>
                    {(c: CommandItem) => (
                      <tr
                        classList={{ 'is-selected': props.selectedId === c.id }}
                        tabIndex={0}
                        onClick={() => props.onSelect(c.id)}
                        onKeyDown={(e) => e.key === 'Enter' && props.onSelect(c.id)}
                      >
                        <td class="nowrap">{formatDateTime(c.createdAt)}</td>
                        <td class="mono ellipsis">{describeCommand(c.type, c.params)}</td>
                        <td>
                          <CommandStatusBadge status={c.status} />
                        </td>
                        <td class="num mono">{c.exitCode ?? ''}</td>
                        <td class="num">{formatMs(c.durationMs)}</td>
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
  );
}
