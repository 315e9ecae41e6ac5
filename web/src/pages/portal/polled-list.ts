import { createEffect, on, type Accessor } from 'solid-js';
import { createPagedList, type Page, type PagedList } from '../../lib/paged-list';
import { pollWhileVisible } from './visible-poll';

/** The API's largest page: a refresh asks for everything shown, up to this many rows. */
const MAX_LIMIT = 200;

/**
 * A cursor-paged list that reloads when `filter` changes and polls while the tab is visible
 * (portal users have no live socket). A poll asks again for as many rows as are shown, so
 * "Load more" pages stay on screen and a row that left the view (a ticket resolved while
 * "Open" is shown) leaves it here too.
 */
export function createPolledList<T extends { id: string }, F>(
  filter: Accessor<F>,
  fetchPage: (filter: F, limit: number, cursor?: string) => Promise<Page<T>>,
  pageSize: number,
): PagedList<T> {
  let firstLimit = pageSize;
  const list = createPagedList((cursor?: string) => fetchPage(filter(), cursor ? pageSize : firstLimit, cursor));

  createEffect(
    on(filter, () => {
      firstLimit = pageSize;
      void list.reload();
    }),
  );
  pollWhileVisible(() => {
    if (list.loading()) return;
    firstLimit = Math.min(MAX_LIMIT, Math.max(pageSize, list.items().length));
    void list.reload();
  });
  return list;
}
