import { batch, createSignal, type Accessor } from 'solid-js';
import { toFailure, type ApiFailure } from '../../api/errors';
import { runSearch, type FleetQuery } from './search-data';
import type { ResultRow } from './search-results';

export interface SearchRun {
  /** The query the shown rows answer (null before the first run). */
  ran: Accessor<FleetQuery | null>;
  rows: Accessor<ResultRow[]>;
  total: Accessor<number>;
  tookMs: Accessor<number>;
  hasMore: Accessor<boolean>;
  running: Accessor<boolean>;
  failure: Accessor<ApiFailure | null>;
  run: (q: FleetQuery) => Promise<void>;
  loadMore: () => Promise<void>;
}

const keyed = (items: Omit<ResultRow, 'id'>[]): ResultRow[] => items.map((r) => ({ ...r, id: r.deviceId }));

/** A fleet search's answer, page by page; a new run makes an older one's answer land nowhere. */
export function createSearchRun(): SearchRun {
  const [ran, setRan] = createSignal<FleetQuery | null>(null);
  const [rows, setRows] = createSignal<ResultRow[]>([]);
  const [total, setTotal] = createSignal(0);
  const [tookMs, setTookMs] = createSignal(0);
  const [next, setNext] = createSignal<string | null>(null);
  const [running, setRunning] = createSignal(false);
  const [failure, setFailure] = createSignal<ApiFailure | null>(null);
  let generation = 0;

  const fetchPage = async (q: FleetQuery, cursor: string | undefined, append: boolean) => {
    const mine = append ? generation : ++generation;
    setRunning(true);
    setFailure(null);
    try {
      const page = await runSearch(q, cursor);
      if (mine !== generation) return;
      batch(() => {
        setRan(q);
        setRows(append ? [...rows(), ...keyed(page.items)] : keyed(page.items));
        setNext(page.nextCursor);
        setTotal(page.total);
        setTookMs(page.tookMs);
      });
    } catch (err) {
      if (mine === generation) setFailure(toFailure(err));
    } finally {
      if (mine === generation) setRunning(false);
    }
  };

  return {
    ran,
    rows,
    total,
    tookMs,
    hasMore: () => next() !== null,
    running,
    failure,
    run: (q) => fetchPage(q, undefined, false),
    loadMore: async () => {
      const q = ran();
      const cursor = next();
      if (q && cursor && !running()) await fetchPage(q, cursor, true);
    },
  };
}
