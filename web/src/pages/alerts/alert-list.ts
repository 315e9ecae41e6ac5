import { createEffect, on, type Accessor } from 'solid-js';
import { api, call } from '../../api/client';
import type { ApiFailure } from '../../api/errors';
import { createPagedList } from '../../lib/paged-list';
import { onAlertChange, onAlertResync, type Alert } from '../../state/alerts';
import { matchesFilter, toQuery, type AlertFilter } from './alert-filter';

export interface AlertList {
  items: Accessor<Alert[]>;
  loading: Accessor<boolean>;
  loaded: Accessor<boolean>;
  failure: Accessor<ApiFailure | null>;
  hasMore: Accessor<boolean>;
  loadMore: () => Promise<void>;
  reload: () => Promise<void>;
  /** Apply what an action changed right away; the feed's frames confirm it. */
  patch: (ids: string[], patch: Partial<Alert>) => void;
}

/** Ids are time-ordered, so "newest first" is descending id. */
const newerFirst = (a: Alert, b: Alert) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/**
 * A page-at-a-time alert list that stays live: a frame updates its alert in place, and a
 * new alert that matches the filter joins at its place in the order. Alerts that stop
 * matching (resolved while the view shows active ones) stay where they are, so rows do
 * not jump away under the reader; the next load drops them.
 */
export function createAlertList(filter: Accessor<AlertFilter>, pageSize: number): AlertList {
  // Frames that land while the first page is on its way; applied once it has.
  let held: Alert[] | null = null;

  const pages = createPagedList((cursor?: string) => call(api.alerts.$get({ query: toQuery(filter(), pageSize, cursor) })), {
    reloadStarted: () => (held = []),
    firstPage: () => {
      for (const a of held ?? []) apply(a);
    },
    reloadSettled: () => (held = null),
  });
  const { items, setItems, cursor } = pages;

  const apply = (a: Alert) => {
    const list = items();
    const i = list.findIndex((x) => x.id === a.id);
    if (i >= 0) {
      if (a.updatedAt < list[i]!.updatedAt) return; // an older frame overtaken by a fresher read
      setItems(list.map((x, j) => (j === i ? a : x)));
      return;
    }
    if (!matchesFilter(a, filter())) return;
    // Beyond the loaded pages it will come with "Load more".
    const last = list[list.length - 1];
    if (cursor() !== null && last && a.id < last.id) return;
    setItems([...list, a].sort(newerFirst));
  };

  onAlertChange((a) => (held ? held.push(a) : apply(a)));
  onAlertResync(() => void pages.reload());
  createEffect(on(filter, () => void pages.reload()));

  return {
    items,
    loading: pages.loading,
    loaded: pages.loaded,
    failure: pages.failure,
    hasMore: pages.hasMore,
    loadMore: pages.loadMore,
    reload: pages.reload,
    patch(ids, patch) {
      const set = new Set(ids);
      setItems((list) => list.map((a) => (set.has(a.id) ? { ...a, ...patch } : a)));
    },
  };
}
