import { useSearchParams } from '@solidjs/router';
import { createEffect, on, onCleanup, onMount, type Accessor } from 'solid-js';
import { isEditable } from './keys';
import { createPagedList, type Page, type PagedList } from './paged-list';
import { createSearchDraft } from './search-draft';
import { createSelection } from './selection';
import { followCursor } from './follow-cursor';

type UrlParams = { q?: string } & Record<string, string | undefined>;

export interface ListPage<T, P> {
  search: Partial<P>;
  /** Sets URL filters; an empty value drops the parameter. */
  patch: (p: Partial<P>) => void;
  draftQ: Accessor<string>;
  setDraftQ: (q: string) => void;
  list: PagedList<T>;
  /** The row the keyboard is on. */
  cursor: Accessor<number>;
  searchRef: (el: HTMLInputElement) => void;
  bodyRef: (el: HTMLTableSectionElement) => void;
}

/**
 * A plain list page: filters live in the URL, the search box applies once typing pauses,
 * the paged list reloads when `query` changes, and the queue keys work (`/` search, j/k or
 * arrows move, Enter opens) with the keyboard's row kept in view.
 */
export function createListPage<T extends { id: string }, P extends UrlParams, Q>(opts: {
  query: (search: Partial<P>) => Q;
  fetchPage: (query: Q, cursor?: string) => Promise<Page<T>>;
  open: (row: T) => void;
}): ListPage<T, P> {
  const [search, setSearch] = useSearchParams<P>();
  const patch = (p: Partial<P>) => setSearch(Object.fromEntries(Object.entries(p).map(([k, x]) => [k, x || null])) as never, { replace: true });
  const [draftQ, setDraftQ] = createSearchDraft(search.q ?? '', (q) => patch({ q } as Partial<P>));
  const list = createPagedList<T>((cursor) => opts.fetchPage(opts.query(search), cursor));
  createEffect(on(() => JSON.stringify(opts.query(search)), () => void list.reload()));

  let searchBox: HTMLInputElement | undefined;
  let body: HTMLTableSectionElement | undefined;
  const selection = createSelection(list.items);
  followCursor(selection.cursor, () => body!);
  onMount(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.target === searchBox) {
        if (e.key === 'Escape') searchBox.blur();
        return;
      }
      if (isEditable(e.target)) return;
      if (e.key === 'Enter' && e.target instanceof HTMLElement && e.target.closest('button, a')) return;
      const handled = (() => {
        switch (e.key) {
          case '/': searchBox?.focus(); searchBox?.select(); return !!searchBox;
          case 'j': case 'ArrowDown': selection.move(selection.cursor() + 1); return true;
          case 'k': case 'ArrowUp': selection.move(selection.cursor() - 1); return true;
          case 'Enter': case 'o': {
            const row = list.items()[selection.cursor()];
            if (row !== undefined) opts.open(row);
            return row !== undefined;
          }
          default: return false;
        }
      })();
      if (handled) e.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    onCleanup(() => document.removeEventListener('keydown', onKey));
  });

  return {
    search,
    patch,
    draftQ,
    setDraftQ,
    list,
    cursor: selection.cursor,
    searchRef: (el) => (searchBox = el),
    bodyRef: (el) => (body = el),
  };
}
