import type { JSX } from 'solid-js';

/** A page's title bar: the title, a Refresh (disabled while `busy`), then the page's own actions. */
export function PageHead(props: { title: string; onRefresh: () => unknown; busy?: boolean; children?: JSX.Element }): JSX.Element {
  return (
    <div class="page-head">
      <h1>{props.title}</h1>
      <span class="spacer" />
      <button type="button" class="btn" onClick={() => void props.onRefresh()} disabled={props.busy}>
        Refresh
      </button>
      {props.children}
    </div>
  );
}
