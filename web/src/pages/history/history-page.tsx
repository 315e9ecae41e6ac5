import { useNavigate, useParams } from '@solidjs/router';
import { createResource, For, Show, type JSX } from 'solid-js';
import { CommandStatus } from '../../../../protocol/command';
import { api, call, type Data } from '../../api/client';
import { createListPage } from '../../lib/list-page';
import { formatDateTime, formatMs } from '../../lib/format';
import type { Page } from '../../lib/paged-list';
import { settled } from '../../lib/resource';
import { scriptsFor } from '../../state/scripts';
import { loadUsers } from '../../state/users';
import { PagedListBody } from '../../components/paged-list-body';
import { ListKeysHint, ListSearch } from '../../components/list-search';
import { DevicePick } from '../../components/device-pick';
import { describeCommand } from '../device/device-command';
import { CommandStatusBadge } from '../device/command-status';
import { CommandDetail } from './command-detail';
import '../../styles/automation.css';

type Item = Data<typeof api.commands.$get>['items'][number];
type Params = { q?: string; device?: string; script?: string; status?: string; type?: string; by?: string; from?: string; to?: string };

const TYPES = ['script', 'run_script', 'service', 'kill_process', 'process_list', 'power', 'power_cancel', 'fetch_file', 'registry_read'];

/** A yyyy-mm-dd date as the first (or, for `end`, the last) millisecond of that local day. */
function dayMs(day: string | undefined, end: boolean): string | undefined {
  if (!day) return undefined;
  const t = new Date(`${day}T00:00:00`).getTime();
  return Number.isFinite(t) ? String(end ? t + 86_400_000 - 1 : t) : undefined;
}

/** Every command of the tenant, newest first: searchable, filtered by the URL; a row opens it. */
export default function HistoryPage(): JSX.Element {
  const params = useParams<{ id?: string }>();
  const navigate = useNavigate();
  const [scripts] = createResource(() => scriptsFor(null));
  const [users] = createResource(loadUsers);
  const open = (c: Item) => navigate(`/history/${c.id}${location.search}`);
  const page = createListPage({
    query: (search: Params) =>
      Object.fromEntries(
        Object.entries({
          q: search.q,
          deviceId: search.device,
          scriptId: search.script,
          status: search.status,
          type: search.type,
          createdBy: search.by,
          from: dayMs(search.from, false),
          to: dayMs(search.to, true),
        }).filter(([, x]) => x),
      ) as Record<string, string>,
    fetchPage: (query, cursor): Promise<Page<Item>> => call(api.commands.$get({ query: { ...query, limit: '50', ...(cursor ? { cursor } : {}) } as never })),
    open,
  });
  const { search, patch, list, cursor } = page;

  return (
    <div class="page">
      <div class="page-head">
        <h1>Command history</h1>
        <span class="spacer" />
        <button type="button" class="btn" onClick={() => void list.reload()} disabled={list.loading()}>
          Refresh
        </button>
      </div>
      <div class="toolbar wrap">
        <ListSearch ref={page.searchRef} value={page.draftQ()} onInput={page.setDraftQ} placeholder="Search device, script or type" label="Search history" testId="history-search" />
        <DevicePick value={search.device ?? ''} onChange={(device) => patch({ device })} testId="history-device" />
        <select class="input select" aria-label="Script" onChange={(e) => patch({ script: e.currentTarget.value })}>
          <option value="">Any script</option>
          <For each={settled(scripts)}>{(s) => <option value={s.id} selected={s.id === search.script}>{s.name}</option>}</For>
        </select>
        <select class="input select" aria-label="Status" data-testid="history-status" onChange={(e) => patch({ status: e.currentTarget.value })}>
          <option value="">Any status</option>
          <For each={CommandStatus.options}>{(s) => <option value={s} selected={s === search.status}>{s.replace('_', ' ')}</option>}</For>
        </select>
        <select class="input select" aria-label="Type" onChange={(e) => patch({ type: e.currentTarget.value })}>
          <option value="">Any type</option>
          <For each={TYPES}>{(t) => <option value={t} selected={t === search.type}>{t.replace('_', ' ')}</option>}</For>
        </select>
        <select class="input select" aria-label="Who" onChange={(e) => patch({ by: e.currentTarget.value })}>
          <option value="">Anyone</option>
          <For each={settled(users)}>{(u) => <option value={u.id} selected={u.id === search.by}>{u.name}</option>}</For>
        </select>
        <label class="field-inline small">
          from <input class="input input-small" type="date" aria-label="From" value={search.from ?? ''} onChange={(e) => patch({ from: e.currentTarget.value })} />
        </label>
        <label class="field-inline small">
          to <input class="input input-small" type="date" aria-label="To" value={search.to ?? ''} onChange={(e) => patch({ to: e.currentTarget.value })} />
        </label>
      </div>
      <div class="history-layout" classList={{ 'has-detail': !!params.id }}>
        <section class="panel">
          <PagedListBody list={list} noun="commands" moreTestId="history-more" empty={<span data-testid="history-empty">No commands match.</span>}>
            <table class="table table-click" data-testid="history-table">
              <thead>
                <tr>
                  <th>When</th>
                  <th>Who</th>
                  <th>Device</th>
                  <th class="col-wide">What</th>
                  <th>Status</th>
                  <th class="num">Exit</th>
                  <th class="num">Duration</th>
                </tr>
              </thead>
              <tbody ref={page.bodyRef}>
                <For each={list.items()}>
                  {(c, i) => (
                    <tr data-index={i()} data-testid="history-row" classList={{ 'is-selected': params.id ? params.id === c.id : cursor() === i() }} onClick={() => open(c)}>
                      <td class="nowrap">{formatDateTime(c.createdAt)}</td>
                      <td>{c.createdByName ?? ''}</td>
                      <td class="mono">{c.hostname}</td>
                      <td class="ellipsis">{c.label ?? describeCommand(c.type, c.params)}</td>
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
          </PagedListBody>
        </section>
        <Show when={params.id} keyed>
          {(id) => <CommandDetail id={id} onClose={() => navigate(`/history${location.search}`)} />}
        </Show>
      </div>
      <ListKeysHint />
    </div>
  );
}
