import { useNavigate, useParams, useSearchParams } from '@solidjs/router';
import { createEffect, createResource, For, on, Show, type JSX } from 'solid-js';
import { CommandStatus } from '../../../../protocol/command';
import { api, call, type Data } from '../../api/client';
import { createPagedList } from '../../lib/paged-list';
import { createSearchDraft } from '../../lib/search-draft';
import { createListKeys } from '../../lib/list-keys';
import { followCursor } from '../../lib/follow-cursor';
import { formatDateTime, formatMs } from '../../lib/format';
import { settled } from '../../lib/resource';
import { scriptsFor } from '../../state/scripts';
import { loadUsers } from '../../state/users';
import { PagedListBody } from '../../components/paged-list-body';
import { DevicePick } from '../../components/device-pick';
import { describeCommand } from '../device/device-command';
import { CommandDetail } from './command-detail';
import '../../styles/automation.css';

type Item = Data<typeof api.commands.$get>['items'][number];
type Params = { q?: string; device?: string; script?: string; status?: string; type?: string; by?: string; from?: string; to?: string };

const TYPES = ['script', 'run_script', 'service', 'kill_process', 'process_list', 'power', 'power_cancel', 'fetch_file', 'registry_read'];
const TONE: Record<string, string> = { succeeded: 'ok', failed: 'bad', timed_out: 'bad', rejected: 'bad', interrupted: 'warn', expired: 'warn', cancelled: 'warn' };

/** A yyyy-mm-dd date as the first (or, for `end`, the last) millisecond of that local day. */
function dayMs(day: string | undefined, end: boolean): string | undefined {
  if (!day) return undefined;
  const t = new Date(`${day}T00:00:00`).getTime();
  return Number.isFinite(t) ? String(end ? t + 86_400_000 - 1 : t) : undefined;
}

/** Every command of the tenant, newest first: searchable, filtered by the URL; a row opens it. */
export default function HistoryPage(): JSX.Element {
  const params = useParams<{ id?: string }>();
  const [search, setSearch] = useSearchParams<Params>();
  const navigate = useNavigate();
  const patch = (p: Partial<Params>) => setSearch(Object.fromEntries(Object.entries(p).map(([k, x]) => [k, x || null])), { replace: true });
  const [draftQ, setDraftQ] = createSearchDraft(search.q ?? '', (q) => patch({ q }));
  const [scripts] = createResource(() => scriptsFor(null));
  const [users] = createResource(loadUsers);

  const query = () =>
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
    ) as Record<string, string>;
  const list = createPagedList<Item>((cursor) => call(api.commands.$get({ query: { ...query(), limit: '50', ...(cursor ? { cursor } : {}) } as never })));
  createEffect(on(() => JSON.stringify(query()), () => void list.reload()));

  const open = (c: Item) => navigate(`/history/${c.id}${location.search}`);
  let searchBox!: HTMLInputElement;
  let body!: HTMLTableSectionElement;
  const cursor = createListKeys({ items: list.items, open, search: () => searchBox });
  followCursor(cursor, () => body);

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
        <input
          ref={searchBox}
          class="input search"
          type="search"
          placeholder="Search device, script or type   ( / )"
          aria-label="Search history"
          data-testid="history-search"
          value={draftQ()}
          onInput={(e) => setDraftQ(e.currentTarget.value)}
        />
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
              <tbody ref={body}>
                <For each={list.items()}>
                  {(c, i) => (
                    <tr data-index={i()} data-testid="history-row" classList={{ 'is-selected': params.id ? params.id === c.id : cursor() === i() }} onClick={() => open(c)}>
                      <td class="nowrap">{formatDateTime(c.createdAt)}</td>
                      <td>{c.createdByName ?? ''}</td>
                      <td class="mono">{c.hostname}</td>
                      <td class="ellipsis">{c.label ?? describeCommand(c.type, c.params)}</td>
                      <td>
                        <span class={`badge badge-${TONE[c.status] ?? 'info'}`}>{c.status.replace('_', ' ')}</span>
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
      <div class="hint muted">
        <kbd>/</kbd> search · <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>Enter</kbd> open
      </div>
    </div>
  );
}
