import { batch, createSignal, type Accessor, type Setter } from 'solid-js';
import { toFailure, type ApiFailure } from '../api/errors';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PagedList<T> {
  items: Accessor<T[]>;
  setItems: Setter<T[]>;
  /** The next page's cursor; null once the last page is loaded. */
  cursor: Accessor<string | null>;
  loading: Accessor<boolean>;
  loaded: Accessor<boolean>;
  failure: Accessor<ApiFailure | null>;
  hasMore: Accessor<boolean>;
  loadMore: () => Promise<void>;
  reload: () => Promise<void>;
}

/**
 * A cursor-paged list: `reload` fetches the first page again, `loadMore` appends the next.
 * A reload makes answers to older requests (a previous filter's) land nowhere.
 * `hooks` let a live list hold feed frames while the first page is on its way.
 */
export function createPagedList<T extends { id: string }>(
  fetchPage: (cursor?: string) => Promise<Page<T>>,
  hooks: { reloadStarted?: () => void; firstPage?: () => void; reloadSettled?: () => void } = {},
): PagedList<T> {
  const [items, setItems] = createSignal<T[]>([]);
  const [cursor, setCursor] = createSignal<string | null>(null);
  const [loading, setLoading] = createSignal(false);
  const [loaded, setLoaded] = createSignal(false);
  const [failure, setFailure] = createSignal<ApiFailure | null>(null);
  let generation = 0;

  const reload = async () => {
    const mine = ++generation;
    hooks.reloadStarted?.();
    setLoading(true);
    setFailure(null);
    try {
      const page = await fetchPage();
      if (mine !== generation) return;
      batch(() => {
        setItems(page.items);
        setCursor(page.nextCursor);
        setLoaded(true);
        hooks.firstPage?.();
      });
    } catch (err) {
      if (mine === generation) setFailure(toFailure(err));
    } finally {
      if (mine === generation) {
        hooks.reloadSettled?.();
        setLoading(false);
      }
    }
  };

  const loadMore = async () => {
    const next = cursor();
    if (!next || loading()) return;
    const mine = generation;
    setLoading(true);
    try {
      const page = await fetchPage(next);
      if (mine !== generation) return;
      const known = new Set(items().map((x) => x.id));
      batch(() => {
        setItems([...items(), ...page.items.filter((x) => !known.has(x.id))]);
        setCursor(page.nextCursor);
      });
    } catch (err) {
      if (mine === generation) setFailure(toFailure(err));
    } finally {
      if (mine === generation) setLoading(false);
    }
  };

  return { items, setItems, cursor, loading, loaded, failure, hasMore: () => cursor() !== null, loadMore, reload };
}
