import { A, useNavigate, useParams } from '@solidjs/router';
import { createEffect, createResource, createSignal, For, on, Show, type JSX } from 'solid-js';
import { api, call } from '../../api/client';
import { describeFailure } from '../../api/errors';
import { settled } from '../../lib/resource';
import { can } from '../../state/session';
import { showToast } from '../../state/toasts';
import { Empty, Loading } from '../../components/feedback';
import { loadPolicies } from '../escalation/policies';
import { CheckSetForm, type CheckSetFields } from './check-set-form';
import { CheckSetDetail, type CheckSet } from './check-set-detail';

const PAGE = 100;

/** Check sets on the left (searchable, paged), the open one from the URL on the right. */
export default function CheckSetsPage(): JSX.Element {
  const params = useParams<{ id?: string }>();
  const navigate = useNavigate();
  const [q, setQ] = createSignal('');
  const [query, setQuery] = createSignal('');
  let timer: ReturnType<typeof setTimeout> | undefined;
  createEffect(on(q, (v) => (clearTimeout(timer), (timer = setTimeout(() => setQuery(v.trim()), 300))), { defer: true }));

  const [sets, setSets] = createSignal<CheckSet[]>([]);
  const [cursor, setCursor] = createSignal<string | null>(null);
  const [list, { refetch }] = createResource(
    () => ({ q: query() }),
    async ({ q }) => {
      const page = await call(api['check-sets'].$get({ query: { limit: String(PAGE), ...(q ? { q } : {}) } }));
      setSets(page.items);
      setCursor(page.nextCursor);
      return page;
    },
  );
  const [moreLoading, setMoreLoading] = createSignal(false);
  const loadMore = async () => {
    const c = cursor();
    if (!c) return;
    setMoreLoading(true);
    try {
      const page = await call(api['check-sets'].$get({ query: { limit: String(PAGE), cursor: c, ...(query() ? { q: query() } : {}) } }));
      setSets((s) => [...s, ...page.items]);
      setCursor(page.nextCursor);
    } finally {
      setMoreLoading(false);
    }
  };

  // The open set is fetched on its own: it may be beyond the loaded page or outside the search.
  const [selected, { refetch: refetchSelected }] = createResource(
    () => params.id || false,
    (id) => call(api['check-sets'][':id'].$get({ param: { id } })),
  );
  const [policies] = createResource(loadPolicies);
  const changed = () => {
    void refetch();
    void refetchSelected();
  };

  const create = async (fields: CheckSetFields) => {
    const created = await call(api['check-sets'].$post({ json: { name: fields.name, escalationPolicyId: fields.escalationPolicyId } }));
    showToast(`Created ${created.name}: add its checks, then assign it`);
    await refetch();
    navigate(`/check-sets/${created.id}`);
  };

  return (
    <div class="page">
      <div class="page-head">
        <h1>Check sets</h1>
        <span class="muted">What to watch, and on which devices</span>
      </div>
      <div class="split split-narrow">
        <section class="panel">
          <div class="panel-head">
            <h2>Sets</h2>
            <span class="spacer" />
            <input class="input input-small" type="search" placeholder="Search names" aria-label="Search check sets" value={q()} onInput={(e) => setQ(e.currentTarget.value)} />
          </div>
          <Show when={can('admin')}>
            <CheckSetForm submitLabel="Add set" policies={settled(policies) ?? []} save={create} testId="create-set" />
          </Show>
          <Show when={!list.error} fallback={<Empty>Could not load check sets: {describeFailure(list.error)}</Empty>}>
            <Show when={settled(list)} fallback={<Loading />}>
              <Show when={sets().length} fallback={<Empty>{query() ? 'No set matches.' : `No check sets yet.${can('admin') ? ' Add the first one above.' : ''}`}</Empty>}>
                <table class="table" classList={{ 'is-loading': list.loading }} data-testid="sets-table">
                  <thead>
                    <tr>
                      <th>Name</th>
                      <th class="num">Checks</th>
                      <th class="num">Assigned</th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={sets()}>
                      {(s) => (
                        <tr classList={{ 'is-selected': params.id === s.id }} data-testid="set-row">
                          <td>
                            <A href={`/check-sets/${s.id}`}>{s.name}</A>
                            <Show when={s.description}>
                              <div class="muted small">{s.description}</div>
                            </Show>
                          </td>
                          <td class="num">{s.checks.length}</td>
                          <td class="num">{s.assignmentCount}</td>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
                <Show when={cursor()}>
                  <button type="button" class="btn" disabled={moreLoading()} onClick={() => void loadMore()}>
                    {moreLoading() ? 'Loading…' : 'Load more'}
                  </button>
                </Show>
              </Show>
            </Show>
          </Show>
        </section>
        {/* Matched against the URL: a resource keeps its last value after the id goes away. */}
        <Show
          when={params.id && settled(selected)?.id === params.id ? params.id : undefined}
          keyed
          fallback={
            <Show when={params.id} fallback={<Empty>Choose a set to see and edit its checks.</Empty>}>
              <Show when={selected.error} fallback={<Loading />}>
                <Empty>
                  {describeFailure(selected.error)} <A href="/check-sets">All sets</A>
                </Empty>
              </Show>
            </Show>
          }
        >
          {(_id) => (
            <CheckSetDetail
              set={settled(selected)!}
              policies={settled(policies) ?? []}
              onChanged={changed}
              onDeleted={() => {
                navigate('/check-sets', { replace: true });
                void refetch();
              }}
            />
          )}
        </Show>
      </div>
    </div>
  );
}
