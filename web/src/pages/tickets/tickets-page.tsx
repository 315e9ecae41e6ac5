import { useNavigate, useSearchParams } from '@solidjs/router';
import { createEffect, createResource, createSignal, For, on, onCleanup, onMount, Show, type JSX } from 'solid-js';
import { describeFailure } from '../../api/errors';
import { isEditable } from '../../lib/keys';
import { createSearchDraft } from '../../lib/search-draft';
import { settled } from '../../lib/resource';
import { loadClients } from '../../state/directory';
import { can, me } from '../../state/session';
import { showToast } from '../../state/toasts';
import { userNames } from '../../state/users';
import { PRIORITIES, STATUSES, updateTickets, type TicketStatus } from '../../state/tickets';
import { PagedListBody } from '../../components/paged-list-body';
import { ListSearch } from '../../components/list-search';
import { DEFAULT_FILTER, parseAssignee, parsePriority, parseStatus, STATUS_VIEWS, type TicketFilter } from './ticket-filter';
import { createTicketList } from './ticket-list';
import { createSelection } from '../../lib/selection';
import { TicketTable } from './ticket-table';
import { NewTicketDialog } from './new-ticket-dialog';
import { SavedViews } from './saved-views';
import '../../styles/desk.css';

const PAGE_SIZE = 50;
type Params = { status?: string; priority?: string; client?: string; assignee?: string; q?: string };

/** The ticket queue: filters in the URL, keyboard selection, bulk changes, live updates. */
export default function TicketsPage(): JSX.Element {
  const [search, setSearch] = useSearchParams<Params>();
  const navigate = useNavigate();
  const [filter, setFilter] = createSignal<TicketFilter>({
    ...DEFAULT_FILTER,
    status: parseStatus(search.status),
    priority: parsePriority(search.priority),
    clientId: search.client ?? '',
    assignee: parseAssignee(search.assignee),
    q: search.q ?? '',
  });
  const [draftQ, setDraftQ] = createSearchDraft(filter().q, (q) => setFilter((f) => (f.q === q ? f : { ...f, q })));
  createEffect(on(filter, (f) => {
    setSearch(
      { status: f.status === 'work' ? null : f.status, priority: f.priority || null, client: f.clientId || null, assignee: f.assignee === 'anyone' ? null : f.assignee, q: f.q || null },
      { replace: true },
    );
  }, { defer: true }));
  const patch = (p: Partial<TicketFilter>) => setFilter((f) => ({ ...f, ...p }));

  const [clients] = createResource(loadClients);
  const [names] = createResource(userNames);
  const assignee = (id: string | null) => (id === null ? 'unassigned' : id === me()?.user.id ? 'me' : (settled(names)?.get(id) ?? id));

  const list = createTicketList(filter, PAGE_SIZE);
  const selection = createSelection(list.items);
  const [creating, setCreating] = createSignal(false);
  const [progress, setProgress] = createSignal<{ done: number; total: number } | null>(null);

  const open = (id: string) => navigate(`/tickets/${id}`);

  const bulk = async (json: { status?: TicketStatus; assigneeId?: string }) => {
    const ids = selection.targets();
    if (!ids.length || progress() || !can('technician')) return;
    setProgress({ done: 0, total: ids.length });
    const res = await updateTickets(ids, json, (done) => setProgress({ done, total: ids.length }));
    for (const t of res.changed) list.replace(t);
    setProgress(null);
    selection.clear();
    if (res.failed.length) showToast(`${res.failed.length} of ${ids.length} not changed: ${describeFailure(res.failed[0]!.error)}`, 'error');
    else showToast(`${res.changed.length} ticket${res.changed.length === 1 ? '' : 's'} updated`);
    // A status change can move tickets out of the view.
    if (json.status) void list.reload();
  };
  const assignToMe = () => {
    const id = me()?.user.id;
    if (id) void bulk({ assigneeId: id });
  };

  let searchBox!: HTMLInputElement;
  onMount(() => {
    const onKey = (e: KeyboardEvent) => {
      if (creating()) return;
      const inSearch = e.target === searchBox;
      if (isEditable(e.target) && !inSearch) return;
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const k = e.key;
      if (k === 'Escape') return inSearch ? searchBox.blur() : selection.clear();
      if (inSearch) return;
      // Enter on a focused button or link is that control's own click.
      if (k === 'Enter' && e.target instanceof HTMLElement && e.target.closest('button, a')) return;
      const row = list.items()[selection.cursor()];
      const handled = (() => {
        switch (k) {
          case '/': searchBox.focus(); searchBox.select(); return true;
          case 'ArrowDown': case 'j': selection.move(selection.cursor() + 1); return true;
          case 'ArrowUp': case 'k': selection.move(selection.cursor() - 1); return true;
          case 'x': case ' ': if (row) selection.toggle(row.id); return !!row;
          case 'Enter': case 'o': if (row) open(row.id); return !!row;
          case 'n': if (can('technician')) setCreating(true); return true;
          default: return false;
        }
      })();
      if (handled) e.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    onCleanup(() => document.removeEventListener('keydown', onKey));
  });

  const count = () => selection.selected().size;

  return (
    <div class="page tickets-page">
      <div class="page-head">
        <h1>Tickets</h1>
        <span class="spacer" />
        <button type="button" class="btn" onClick={() => void list.reload()} disabled={list.loading()}>
          Refresh
        </button>
        <Show when={can('technician')}>
          <button type="button" class="btn btn-primary" data-testid="new-ticket" onClick={() => setCreating(true)}>
            New ticket
          </button>
        </Show>
      </div>
      <div class="toolbar">
        <ListSearch ref={searchBox} value={draftQ()} onInput={setDraftQ} placeholder="Search title, description or #number" label="Search tickets" testId="ticket-search" />
        <select class="input select" aria-label="Status" data-testid="ticket-filter-status" onChange={(e) => patch({ status: parseStatus(e.currentTarget.value) })}>
          <For each={STATUS_VIEWS}>{(s) => <option value={s.value} selected={s.value === filter().status}>{s.label}</option>}</For>
        </select>
        <select class="input select" aria-label="Priority" data-testid="ticket-filter-priority" onChange={(e) => patch({ priority: parsePriority(e.currentTarget.value) })}>
          <option value="">Any priority</option>
          <For each={PRIORITIES}>{(p) => <option value={p} selected={p === filter().priority}>{p}</option>}</For>
        </select>
        <select class="input select" aria-label="Client" data-testid="ticket-filter-client" onChange={(e) => patch({ clientId: e.currentTarget.value })}>
          <option value="">All clients</option>
          <For each={settled(clients) ?? []}>{(c) => <option value={c.id} selected={c.id === filter().clientId}>{c.name}</option>}</For>
        </select>
        <select class="input select" aria-label="Assignee" data-testid="ticket-filter-assignee" onChange={(e) => patch({ assignee: parseAssignee(e.currentTarget.value) })}>
          <option value="anyone" selected={filter().assignee === 'anyone'}>Anyone</option>
          <option value="me" selected={filter().assignee === 'me'}>Assigned to me</option>
          <option value="unassigned" selected={filter().assignee === 'unassigned'}>Unassigned</option>
        </select>
        <SavedViews
          filter={filter()}
          onApply={(f) => {
            setDraftQ(f.q);
            setFilter(f);
          }}
        />
      </div>
      <Show when={count() > 0 || progress()}>
        <div class="bulk-bar" role="region" aria-label="Selected tickets" data-testid="ticket-bulk-bar">
          <Show when={progress()} fallback={<strong>{count().toLocaleString()} selected</strong>}>
            {(p) => (
              <strong data-testid="bulk-progress">
                Updating {p().done} / {p().total}…
              </strong>
            )}
          </Show>
          <Show when={can('technician') && !progress()}>
            <button type="button" class="btn btn-primary btn-small" data-testid="bulk-assign-me" onClick={assignToMe}>
              Assign to me
            </button>
            <select
              class="input select input-small"
              aria-label="Set status of selected tickets"
              data-testid="bulk-status"
              onChange={(e) => {
                const s = e.currentTarget.value as TicketStatus;
                e.currentTarget.value = '';
                if (s) void bulk({ status: s });
              }}
            >
              <option value="">Set status…</option>
              <For each={STATUSES.filter((s) => s !== 'new')}>{(s) => <option value={s}>{s}</option>}</For>
            </select>
          </Show>
          <button type="button" class="btn btn-ghost btn-small" onClick={() => selection.clear()} disabled={!!progress()}>
            Clear (Esc)
          </button>
        </div>
      </Show>
      <section class="panel">
        <PagedListBody list={list} noun="tickets" moreTestId="tickets-more" empty={<span data-testid="tickets-empty">No tickets match.</span>}>
          <TicketTable items={list.items()} selection={selection} assignee={assignee} onOpen={open} />
        </PagedListBody>
      </section>
      <div class="hint muted">
        <kbd>/</kbd> search · <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>x</kbd> select · <kbd>Enter</kbd> open · <kbd>n</kbd> new ticket · <kbd>Esc</kbd> clear
      </div>
      <NewTicketDialog
        open={creating()}
        clients={settled(clients) ?? []}
        onClose={() => setCreating(false)}
        onCreated={(t) => {
          setCreating(false);
          open(t.id);
        }}
      />
    </div>
  );
}
