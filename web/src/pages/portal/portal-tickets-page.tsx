import { A, useNavigate, useSearchParams } from '@solidjs/router';
import { createEffect, createSignal, For, on, onCleanup, onMount, type JSX } from 'solid-js';
import { isEditable } from '../../lib/keys';
import { createSearchDraft } from '../../lib/search-draft';
import { listTickets, PORTAL_STATES, type PortalState, type TicketQuery } from '../../state/portal';
import { PagedListBody } from '../../components/paged-list-body';
import { createPolledList } from './polled-list';
import { PortalTicketTable } from './portal-ticket-table';

const PAGE_SIZE = 25;
type Params = { state?: string; mine?: string; q?: string };

const parseState = (s: string | undefined): PortalState => PORTAL_STATES.find((x) => x.value === s)?.value ?? 'open';

/** The client's tickets: Open / Done / All, only mine, search; the filter lives in the URL. */
export default function PortalTicketsPage(): JSX.Element {
  const [search, setSearch] = useSearchParams<Params>();
  const navigate = useNavigate();
  const [filter, setFilter] = createSignal<TicketQuery>({ state: parseState(search.state), mine: search.mine === 'true', q: search.q ?? '' });
  const patch = (p: Partial<TicketQuery>) => setFilter((f) => ({ ...f, ...p }));

  const [draftQ, setDraftQ] = createSearchDraft(filter().q, (q) => setFilter((f) => (f.q === q ? f : { ...f, q })));
  createEffect(on(filter, (f) => {
    setSearch({ state: f.state === 'open' ? null : f.state, mine: f.mine ? 'true' : null, q: f.q || null }, { replace: true });
  }, { defer: true }));

  const list = createPolledList(filter, listTickets, PAGE_SIZE);
  const [cursor, setCursor] = createSignal(0);
  createEffect(on(list.items, (items) => setCursor((c) => Math.min(c, Math.max(0, items.length - 1)))));
  const open = (id: string) => navigate(`/portal/tickets/${id}`);

  let searchBox!: HTMLInputElement;
  onMount(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.target === searchBox && e.key === 'Escape') return searchBox.blur();
      if (isEditable(e.target)) return;
      // Enter on a focused link or button is that control's own click.
      if (e.key === 'Enter' && e.target instanceof HTMLElement && e.target.closest('button, a')) return;
      const last = list.items().length - 1;
      const row = list.items()[cursor()];
      const handled = (() => {
        switch (e.key) {
          case '/': searchBox.focus(); searchBox.select(); return true;
          case 'ArrowDown': case 'j': setCursor(Math.min(last, cursor() + 1)); return true;
          case 'ArrowUp': case 'k': setCursor(Math.max(0, cursor() - 1)); return true;
          case 'Enter': case 'o': if (row) open(row.id); return !!row;
          case 'n': navigate('/portal/new'); return true;
          default: return false;
        }
      })();
      if (handled) e.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    onCleanup(() => document.removeEventListener('keydown', onKey));
  });

  return (
    <div class="page portal-page">
      <div class="page-head">
        <h1>My tickets</h1>
        <span class="spacer" />
        <button type="button" class="btn" onClick={() => void list.reload()} disabled={list.loading()}>
          Refresh
        </button>
        <A href="/portal/new" class="btn btn-primary" data-testid="portal-new-ticket">
          New ticket
        </A>
      </div>
      <div class="toolbar">
        <div class="tabs" role="tablist" aria-label="Which tickets">
          <For each={PORTAL_STATES}>
            {(s) => (
              <button
                type="button"
                role="tab"
                class="tab portal-tab"
                classList={{ 'is-active': filter().state === s.value }}
                aria-selected={filter().state === s.value}
                data-testid={`portal-tab-${s.value}`}
                onClick={() => patch({ state: s.value })}
              >
                {s.label}
              </button>
            )}
          </For>
        </div>
        <label class="check">
          <input type="checkbox" data-testid="portal-only-mine" checked={filter().mine} onChange={(e) => patch({ mine: e.currentTarget.checked })} />
          Only tickets I opened
        </label>
        <input
          ref={searchBox}
          class="input search"
          type="search"
          placeholder="Search title or #number   ( / )"
          aria-label="Search tickets"
          data-testid="portal-ticket-search"
          value={draftQ()}
          onInput={(e) => setDraftQ(e.currentTarget.value)}
        />
      </div>
      <section class="panel">
        <PagedListBody
          list={list}
          noun="tickets"
          moreTestId="portal-tickets-more"
          empty={
            <>
              <span data-testid="portal-tickets-empty">No tickets here.</span> <A href="/portal/new">Open a new ticket</A>
            </>
          }
        >
          <PortalTicketTable items={list.items()} cursor={cursor()} onCursor={setCursor} />
        </PagedListBody>
      </section>
      <div class="hint muted">
        <kbd>/</kbd> search · <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>Enter</kbd> open · <kbd>n</kbd> new ticket
      </div>
    </div>
  );
}
