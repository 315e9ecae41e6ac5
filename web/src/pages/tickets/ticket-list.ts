import { createEffect, on, onCleanup, type Accessor } from 'solid-js';
import { api, call } from '../../api/client';
import type { ApiFailure } from '../../api/errors';
import { createPagedList } from '../../lib/paged-list';
import { onTicketChange, onTicketResync, type Ticket } from '../../state/tickets';
import { toQuery, type TicketFilter } from './ticket-filter';

export interface TicketList {
  items: Accessor<Ticket[]>;
  loading: Accessor<boolean>;
  loaded: Accessor<boolean>;
  failure: Accessor<ApiFailure | null>;
  hasMore: Accessor<boolean>;
  loadMore: () => Promise<void>;
  reload: () => Promise<void>;
  /** Put a fresher copy of a ticket in place (after an edit made here). */
  replace: (t: Ticket) => void;
}

/**
 * A page-at-a-time ticket queue that stays live. A frame only carries a few fields, so a
 * ticket already shown is patched with them, and one not shown (a new ticket from an alert)
 * makes the first pages load again once the burst has passed.
 */
export function createTicketList(filter: Accessor<TicketFilter>, pageSize: number): TicketList {
  const pages = createPagedList((cursor?: string) => call(api.tickets.$get({ query: toQuery(filter(), pageSize, cursor) })));
  const { items, setItems, reload } = pages;

  let timer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(timer));
  onTicketChange((frame) => {
    const shown = items().some((t) => t.id === frame.id);
    if (shown) {
      setItems((list) => list.map((t) => (t.id === frame.id ? { ...t, title: frame.title, status: frame.status, priority: frame.priority, updatedAt: Date.now() } : t)));
      return;
    }
    clearTimeout(timer);
    timer = setTimeout(() => void reload(), 500);
  });
  onTicketResync(() => void reload());
  createEffect(on(filter, () => void reload()));

  return {
    items,
    loading: pages.loading,
    loaded: pages.loaded,
    failure: pages.failure,
    hasMore: pages.hasMore,
    loadMore: pages.loadMore,
    reload,
    replace: (fresh) => setItems((list) => list.map((t) => (t.id === fresh.id ? fresh : t))),
  };
}
