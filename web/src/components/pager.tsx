import { Show, type JSX } from 'solid-js';

/** "1–100 of 5,000 ‹ ›" over a list already in memory. */
export function Pager(props: { page: number; size: number; total: number; onPage: (page: number) => void; label?: string }): JSX.Element {
  const pages = () => Math.max(1, Math.ceil(props.total / props.size));
  const first = () => (props.total ? props.page * props.size + 1 : 0);
  const last = () => Math.min(props.total, (props.page + 1) * props.size);
  return (
    <Show when={props.total > props.size}>
      <div class="pager" role="navigation" aria-label={props.label ?? 'Pages'}>
        <span class="muted">
          {first().toLocaleString()}–{last().toLocaleString()} of {props.total.toLocaleString()}
        </span>
        <button type="button" class="btn btn-small" disabled={props.page <= 0} onClick={() => props.onPage(props.page - 1)} aria-label="Previous page">
          ‹ Prev
        </button>
        <button type="button" class="btn btn-small" disabled={props.page >= pages() - 1} onClick={() => props.onPage(props.page + 1)} aria-label="Next page">
          Next ›
        </button>
      </div>
    </Show>
  );
}

/** The slice of `items` on page `page` (pages of `size`), clamped to the last page. */
export function pageOf<T>(items: T[], page: number, size: number): T[] {
  const last = Math.max(0, Math.ceil(items.length / size) - 1);
  const p = Math.min(page, last);
  return items.slice(p * size, (p + 1) * size);
}
