import { Match, Show, Switch, type JSX } from 'solid-js';
import { describeFailure } from '../api/errors';
import type { PagedList } from '../lib/paged-list';
import { Empty, Loading } from './feedback';

type ListState = Pick<PagedList<unknown>, 'items' | 'loaded' | 'loading' | 'failure' | 'hasMore' | 'loadMore'>;

/**
 * A cursor-paged list's panel body: the failure (only while nothing is shown; a failed poll
 * keeps the rows), loading, the empty state, or the rows with "Load more" under them.
 */
export function PagedListBody(props: { list: ListState; noun: string; empty: JSX.Element; moreTestId: string; children: JSX.Element }): JSX.Element {
  return (
    <Switch>
      <Match when={props.list.failure() && !props.list.items().length}>
        <Empty>
          Could not load {props.noun}: {describeFailure(props.list.failure())}
        </Empty>
      </Match>
      <Match when={!props.list.loaded()}>
        <Loading label={`Loading ${props.noun}…`} />
      </Match>
      <Match when={!props.list.items().length}>
        <Empty>{props.empty}</Empty>
      </Match>
      <Match when={true}>
        {props.children}
        <Show when={props.list.hasMore()}>
          <button type="button" class="btn" data-testid={props.moreTestId} onClick={() => void props.list.loadMore()} disabled={props.list.loading()}>
            {props.list.loading() ? 'Loading…' : 'Load more'}
          </button>
        </Show>
      </Match>
    </Switch>
  );
}
