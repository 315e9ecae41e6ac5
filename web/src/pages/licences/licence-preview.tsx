import { createEffect, createSignal, on, onCleanup, Show, type JSX } from 'solid-js';
import type { FleetQuery } from '../../../../protocol/api/fleet-search';
import { api, call } from '../../api/client';
import { describeFailure } from '../../api/errors';

type Rule = { name: string; exact: boolean; minVersion: string; clientId: string; publisher: string };

/**
 * How many devices the match rule finds right now, asked of the fleet search once typing
 * pauses. The search knows no publisher, so with one set the count is an upper bound; the
 * saved licence's compliance is the exact figure.
 */
export function LicencePreview(props: Rule): JSX.Element {
  const [state, setState] = createSignal<{ total: number } | { error: string } | null>(null);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let generation = 0;

  const query = (r: Rule): FleetQuery => ({
    match: 'all',
    conditions: [
      {
        field: 'software',
        op: 'installed',
        name: r.name,
        match: r.exact ? 'equals' : 'contains',
        ...(r.minVersion ? { version: { op: 'gte' as const, value: r.minVersion } } : {}),
      },
    ],
    ...(r.clientId ? { filter: { clientId: r.clientId } } : {}),
  });

  createEffect(
    on(
      () => ({ name: props.name, exact: props.exact, minVersion: props.minVersion, clientId: props.clientId, publisher: props.publisher }),
      (r) => {
        clearTimeout(timer);
        const mine = ++generation;
        if (!r.name) return setState(null);
        timer = setTimeout(async () => {
          try {
            const page = await call(api.inventory.search.$post({ json: { query: query(r), limit: 1 } }));
            if (mine === generation) setState({ total: page.total });
          } catch (err) {
            if (mine === generation) setState({ error: describeFailure(err) });
          }
        }, 400);
      },
    ),
  );
  onCleanup(() => clearTimeout(timer));

  return (
    <div class="field" aria-live="polite">
      <span>Matching devices now</span>
      <Show when={state()} fallback={<span class="muted small">type a software name</span>}>
        {(s) => {
          const v = s();
          return 'error' in v ? (
            <span class="muted small">cannot preview: {v.error}</span>
          ) : (
            <span data-testid="licence-preview">
              <strong>{v.total}</strong> {v.total === 1 ? 'device' : 'devices'}
              <Show when={props.publisher}>
                <span class="muted small"> (at most: the publisher is checked on save)</span>
              </Show>
            </span>
          );
        }}
      </Show>
    </div>
  );
}
