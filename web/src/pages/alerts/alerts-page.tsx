import { useNavigate, useParams, useSearchParams } from '@solidjs/router';
import { createEffect, createMemo, createResource, createSignal, Match, on, onCleanup, onMount, Show, Switch, type JSX } from 'solid-js';
import { describeFailure } from '../../api/errors';
import { isEditable } from '../../lib/keys';
import { createSearchDraft } from '../../lib/search-draft';
import { settled } from '../../lib/resource';
import { alertSummary, type AlertAction } from '../../state/alerts';
import { loadClients } from '../../state/directory';
import { can, me } from '../../state/session';
import { Empty, Loading } from '../../components/feedback';
import { ListSearch } from '../../components/list-search';
import { DEFAULT_FILTER, matchesFilter, parseSeverity, parseView, type AlertFilter } from './alert-filter';
import { createAlertList } from './alert-list';
import { createSelection } from '../../lib/selection';
import { AlertFilters } from './alert-filters';
import { AlertTable } from './alert-table';
import { AlertActionDialog } from './alert-action-dialog';
import { AlertDrawer } from './alert-drawer';
import { ConfirmLinkBanner } from './confirm-link';

const PAGE_SIZE = 100;
type Params = { view?: string; severity?: string; client?: string; device?: string; q?: string; confirm?: string };

/** Live alerts: filters in the URL, keyboard selection, bulk actions, detail beside the list. */
export default function AlertsPage(): JSX.Element {
  const params = useParams<{ id?: string }>();
  const [search, setSearch] = useSearchParams<Params>();
  const navigate = useNavigate();
  const [filter, setFilter] = createSignal<AlertFilter>({
    ...DEFAULT_FILTER,
    view: parseView(search.view),
    severity: parseSeverity(search.severity),
    clientId: search.client ?? '',
    deviceId: search.device ?? '',
    q: search.q ?? '',
  });
  const [draftQ, setDraftQ] = createSearchDraft(filter().q, (q) => setFilter((f) => (f.q === q ? f : { ...f, q })));
  createEffect(on(filter, (f) => {
    setSearch({ view: f.view === 'active' ? null : f.view, severity: f.severity || null, client: f.clientId || null, device: f.deviceId || null, q: f.q || null }, { replace: true });
  }, { defer: true }));

  const [clients] = createResource(loadClients);
  const list = createAlertList(filter, PAGE_SIZE);
  const selection = createSelection(list.items);
  const [request, setRequest] = createSignal<{ action: AlertAction; ids: string[] } | null>(null);

  const keepQuery = () => (location.search ? location.search : '');
  const openDetail = (id: string) => navigate(`/alerts/${id}${keepQuery()}`);
  const closeDetail = () => navigate(`/alerts${keepQuery()}`);
  const act = (action: AlertAction, ids: string[]) => ids.length && can('technician') && setRequest({ action, ids });
  const done = (action: AlertAction, changed: string[]) => {
    const at = Date.now();
    const userId = me()?.user.id ?? null;
    list.patch(changed, action === 'acknowledge' ? { status: 'acknowledged', acknowledgedAt: at, acknowledgedBy: userId } : { status: 'resolved', resolvedAt: at, resolvedBy: userId });
    selection.clear();
    setRequest(null);
  };

  let searchBox!: HTMLInputElement;
  onMount(() => {
    const onKey = (e: KeyboardEvent) => {
      if (request()) return; // the dialog has the keyboard
      const inSearch = e.target === searchBox;
      if (isEditable(e.target) && !inSearch) return;
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'a' && !inSearch) {
        e.preventDefault();
        return selection.selectAll();
      }
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const k = e.key;
      const row = list.items()[selection.cursor()];
      if (k === 'Escape') {
        if (inSearch) return searchBox.blur();
        if (params.id) return closeDetail();
        return selection.clear();
      }
      if (inSearch && k !== 'ArrowDown' && k !== 'ArrowUp' && k !== 'Enter') return;
      const handled = (() => {
        switch (k) {
          case '/': searchBox.focus(); searchBox.select(); return true;
          case 'ArrowDown': case 'j': case 'J': selection.move(selection.cursor() + 1, e.shiftKey); return true;
          case 'ArrowUp': case 'k': case 'K': selection.move(selection.cursor() - 1, e.shiftKey); return true;
          case 'Home': selection.move(0); return true;
          case 'End': selection.move(list.items().length - 1); return true;
          case ' ': case 'x': if (row) selection.toggle(row.id); return !!row;
          case 'Enter': case 'o': if (row) openDetail(row.id); return !!row;
          case 'a': act('acknowledge', selection.targets()); return true;
          case 'r': act('resolve', selection.targets()); return true;
          default: return false;
        }
      })();
      if (handled) {
        e.preventDefault();
        if (inSearch && k !== 'Enter') searchBox.blur();
      }
    };
    document.addEventListener('keydown', onKey);
    onCleanup(() => document.removeEventListener('keydown', onKey));
  });

  const summaryText = createMemo(() => {
    const s = alertSummary();
    if (!s) return '';
    return `${s.open.critical} critical · ${s.open.warning} warning · ${s.open.info} info open · ${s.acknowledged} acknowledged`;
  });
  const count = () => selection.selected().size;

  return (
    <div class="page alerts-page" classList={{ 'with-drawer': !!params.id }}>
      <div class="page-head">
        <h1>Alerts</h1>
        <span class="muted" data-testid="alert-summary">{summaryText()}</span>
        <span class="spacer" />
        <button type="button" class="btn" onClick={() => void list.reload()} disabled={list.loading()}>
          Refresh
        </button>
      </div>
      <div class="toolbar">
        <ListSearch ref={searchBox} value={draftQ()} onInput={setDraftQ} placeholder="Search check, message or host" label="Search alerts" testId="alert-search" />
        <AlertFilters filter={filter()} clients={settled(clients) ?? []} onChange={(p) => setFilter((f) => ({ ...f, ...p }))} />
      </div>
      <Show when={count() > 0}>
        <div class="bulk-bar" role="region" aria-label="Selected alerts" data-testid="bulk-bar">
          <strong>{count().toLocaleString()} selected</strong>
          <Show when={can('technician')}>
            <button type="button" class="btn btn-primary btn-small" data-testid="bulk-acknowledge" onClick={() => act('acknowledge', selection.targets())}>
              Acknowledge (a)
            </button>
            <button type="button" class="btn btn-small" data-testid="bulk-resolve" onClick={() => act('resolve', selection.targets())}>
              Resolve (r)
            </button>
          </Show>
          <button type="button" class="btn btn-ghost btn-small" onClick={() => selection.clear()}>
            Clear (Esc)
          </button>
        </div>
      </Show>
      <Show when={search.confirm} keyed>
        {(token) => <ConfirmLinkBanner token={token} onDone={() => setSearch({ confirm: undefined }, { replace: true })} />}
      </Show>
      <div class="alerts-layout">
        <section class="panel alerts-list">
          <Switch>
            <Match when={list.failure() && !list.items().length}>
              <Empty>Could not load alerts: {describeFailure(list.failure())}</Empty>
            </Match>
            <Match when={!list.loaded()}>
              <Loading label="Loading alerts…" />
            </Match>
            <Match when={!list.items().length}>
              <Empty>
                <span data-testid="alerts-empty">
                  {filter().view === 'resolved' ? 'No resolved alerts match.' : 'No active alerts match. All quiet.'}
                </span>
              </Empty>
            </Match>
            <Match when={true}>
              <AlertTable items={list.items()} selection={selection} openId={params.id ?? null} onOpen={openDetail} stale={(a) => !matchesFilter(a, filter())} />
              <Show when={list.hasMore()}>
                <button type="button" class="btn" onClick={() => void list.loadMore()} disabled={list.loading()}>
                  {list.loading() ? 'Loading…' : 'Load older alerts'}
                </button>
              </Show>
            </Match>
          </Switch>
        </section>
        <Show when={params.id} keyed>
          {(id) => <AlertDrawer id={id} onClose={closeDetail} onAct={act} />}
        </Show>
      </div>
      <div class="hint muted">
        <kbd>/</kbd> search · <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>x</kbd> or <kbd>Space</kbd> select · <kbd>Shift</kbd>+arrows extend ·{' '}
        <kbd>Ctrl</kbd>+<kbd>A</kbd> all · <kbd>a</kbd> acknowledge · <kbd>r</kbd> resolve · <kbd>Enter</kbd> details · <kbd>Esc</kbd> close
      </div>
      <AlertActionDialog request={request()} onClose={() => setRequest(null)} onDone={done} />
    </div>
  );
}
