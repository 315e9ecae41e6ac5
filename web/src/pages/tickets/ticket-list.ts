import { batch, createEffect, createSignal, on, onCleanup, type Accessor } from 'solid-js';
import { api, call } from '../../api/client';
import { toFailure, type ApiFailure } from '../../api/errors';
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
  const [items, setItems] = createSignal<Ticket[]>([]);
  const [cursor, setCursor] = createSignal<string | null>(null);
  const [loading, setLoading] = createSignal(false);
  const [loaded, setLoaded] = createSignal(false);
  const [failure, setFailure] = createSignal<ApiFailure | null>(null);
  let generation = 0;

  const reload = async () => {
    const mine = ++generation;
    setLoading(true);
    setFailure(null);
    try {
      const page = await call(api.tickets.$get({ query: toQuery(filter(), pageSize) }));
      if (mine !== generation) return;
      batch(() => {
        setItems(page.items);
        setCursor(page.nextCursor);
        setLoaded(true);
      });
    } catch (err) {
      if (mine === generation) setFailure(toFailure(err));
    } finally {
      if (mine === generation) setLoading(false);
    }
  };

  const loadMore = async () => {
    const next = cursor();
    if (!next || loading()) return;
    const mine = generation;
    setLoading(true);
    try {
      const page = await call(api.tickets.$get({ query: toQuery(filter(), pageSize, next) }));
      if (mine !== generation) return;
      const known = new Set(items().map((t) => t.id));
      batch(() => {
        setItems([...items(), ...page.items.filter((t) => !known.has(t.id))]);
        setCursor(page.nextCursor);
      });
    } catch (err) {
      if (mine === generation) setFailure(toFailure(err));
    } finally {
      if (mine === generation) setLoading(false);
    }
  };

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
    loading,
    loaded,
    failure,
    hasMore: () => cursor() !== null,
    loadMore,
    reload,
    replace: (fresh) => setItems((list) => list.map((t) => (t.id === fresh.id ? fresh : t))),
  };
}
