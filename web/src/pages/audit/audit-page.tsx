import { createResource, createSignal, For, Show, type JSX } from 'solid-js';
import { settled } from '../../lib/resource';
import { api, call, fetchAll } from '../../api/client';
import { describeFailure } from '../../api/errors';
import { formatDateTime } from '../../lib/format';
import { Empty, Loading } from '../../components/feedback';

const PAGE_SIZE = 50;

function detailText(detail: unknown): string {
  if (detail == null) return '';
  const text = JSON.stringify(detail);
  return text === '{}' ? '' : text;
}

/** Names for the ids the log records; ids stay visible for what is not (or no longer) listed. */
async function loadActorNames(): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const [users, tokens] = await Promise.all([
    fetchAll((cursor) => call(api.users.$get({ query: { limit: '1000', ...(cursor ? { cursor } : {}) } }))).catch(() => []),
    fetchAll((cursor) => call(api.tokens.$get({ query: { limit: '1000', ...(cursor ? { cursor } : {}) } }))).catch(() => []),
  ]);
  for (const u of users) names.set(u.id, u.name);
  for (const t of tokens) names.set(t.id, `token “${t.name}”`);
  return names;
}

/** Newest first; the cursor trail lets "Newer" step back without the API paging backwards. */
export default function AuditPage(): JSX.Element {
  const [trail, setTrail] = createSignal<(string | undefined)[]>([undefined]);
  const cursor = () => trail()[trail().length - 1];
  const [page] = createResource(
    () => ({ cursor: cursor() }),
    ({ cursor }) => call(api.audit.$get({ query: { limit: String(PAGE_SIZE), ...(cursor ? { cursor } : {}) } })),
  );

  const [names] = createResource(loadActorNames);
  const nameOf = (id: string | null) => (id ? settled(names)?.get(id) : undefined);

  return (
    <div class="page">
      <div class="page-head">
        <h1>Audit log</h1>
        <span class="muted">page {trail().length}</span>
        <span class="spacer" />
        <button type="button" class="btn" disabled={trail().length <= 1 || page.loading} onClick={() => setTrail((t) => t.slice(0, -1))}>
          ← Newer
        </button>
        <button
          type="button"
          class="btn"
          data-testid="audit-older"
          disabled={!settled(page)?.nextCursor || page.loading}
          onClick={() => setTrail((t) => [...t, settled(page)!.nextCursor!])}
        >
          Older →
        </button>
      </div>
      <section class="panel">
        <Show when={!page.error} fallback={<Empty>Could not load the audit log: {describeFailure(page.error)}</Empty>}>
          <Show when={settled(page)} fallback={<Loading />}>
            {(p) => (
              <Show when={p().items.length} fallback={<Empty>Nothing recorded yet.</Empty>}>
                <table class="table" classList={{ 'is-loading': page.loading }} data-testid="audit-table">
                  <thead>
                    <tr>
                      <th>Time</th>
                      <th>Actor</th>
                      <th>Action</th>
                      <th>Target</th>
                      <th>IP</th>
                      <th>Detail</th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={p().items}>
                      {(e) => (
                        <tr>
                          <td class="nowrap">{formatDateTime(e.createdAt)}</td>
                          <td class="nowrap" title={e.actorId}>
                            <span class="muted">{e.actorType}</span>{' '}
                            <Show when={nameOf(e.actorId)} fallback={<span class="mono small">{e.actorId}</span>}>
                              {(n) => n()}
                            </Show>
                          </td>
                          <td class="mono">{e.action}</td>
                          <td class="nowrap" title={e.targetId ?? ''}>
                            <Show when={e.targetType}>
                              <span class="muted">{e.targetType}</span>{' '}
                              <Show when={nameOf(e.targetId)} fallback={<span class="mono small">{e.targetId}</span>}>
                                {(n) => n()}
                              </Show>
                            </Show>
                          </td>
                          <td class="mono small">{e.ip ?? ''}</td>
                          <td class="mono small ellipsis detail-cell" title={detailText(e.detail)}>
                            {detailText(e.detail)}
                          </td>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </Show>
            )}
          </Show>
        </Show>
      </section>
    </div>
  );
}
