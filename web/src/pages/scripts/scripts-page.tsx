import { A, useNavigate, useSearchParams } from '@solidjs/router';
import { createEffect, createSignal, For, on, Show, type JSX } from 'solid-js';
import { PLATFORMS, SCRIPT_CATEGORIES } from '../../../../protocol/scripts';
import { createPagedList } from '../../lib/paged-list';
import { createSearchDraft } from '../../lib/search-draft';
import { createListKeys } from '../../lib/list-keys';
import { followCursor } from '../../lib/follow-cursor';
import { can } from '../../state/session';
import { listScripts, type ScriptItem, type ScriptQuery } from '../../state/scripts';
import { PagedListBody } from '../../components/paged-list-body';
import '../../styles/automation.css';

type Params = { q?: string; category?: string; platform?: string; tag?: string; source?: string };

/** The script library: the shipped catalog and the tenant's own scripts, filtered by the URL. */
export default function ScriptsPage(): JSX.Element {
  const [search, setSearch] = useSearchParams<Params>();
  const navigate = useNavigate();
  const filter = (): ScriptQuery => ({ q: search.q ?? '', category: search.category ?? '', platform: search.platform ?? '', tag: search.tag ?? '', source: search.source ?? '' });
  const patch = (p: Partial<Params>) => setSearch(Object.fromEntries(Object.entries(p).map(([k, v]) => [k, v || null])), { replace: true });
  const [draftQ, setDraftQ] = createSearchDraft(search.q ?? '', (q) => patch({ q }));

  const list = createPagedList<ScriptItem>((cursor) => listScripts(filter(), cursor));
  createEffect(on(() => JSON.stringify(filter()), () => void list.reload()));

  const open = (s: ScriptItem) => navigate(`/scripts/${s.id}`);
  let searchBox!: HTMLInputElement;
  let body!: HTMLTableSectionElement;
  const cursor = createListKeys({ items: list.items, open, search: () => searchBox });
  followCursor(cursor, () => body);

  return (
    <div class="page">
      <div class="page-head">
        <h1>Scripts</h1>
        <span class="spacer" />
        <Show when={can('technician')}>
          <A href="/scripts/new" class="btn btn-primary" data-testid="new-script">
            New script
          </A>
        </Show>
      </div>
      <div class="toolbar">
        <input
          ref={searchBox}
          class="input search"
          type="search"
          placeholder="Search name or description   ( / )"
          aria-label="Search scripts"
          data-testid="script-search"
          value={draftQ()}
          onInput={(e) => setDraftQ(e.currentTarget.value)}
        />
        <select class="input select" aria-label="Category" data-testid="script-filter-category" onChange={(e) => patch({ category: e.currentTarget.value })}>
          <option value="">Any category</option>
          <For each={SCRIPT_CATEGORIES}>{(c) => <option value={c} selected={c === search.category}>{c}</option>}</For>
        </select>
        <select class="input select" aria-label="Platform" data-testid="script-filter-platform" onChange={(e) => patch({ platform: e.currentTarget.value })}>
          <option value="">Any platform</option>
          <For each={PLATFORMS}>{(p) => <option value={p} selected={p === search.platform}>{p}</option>}</For>
        </select>
        <select class="input select" aria-label="Source" data-testid="script-filter-source" onChange={(e) => patch({ source: e.currentTarget.value })}>
          <option value="">Built-in and custom</option>
          <option value="builtin" selected={search.source === 'builtin'}>Built-in</option>
          <option value="custom" selected={search.source === 'custom'}>Custom</option>
        </select>
        <Show when={search.tag}>
          <span class="chip">
            tag: {search.tag}
            <button type="button" class="chip-remove" aria-label="Clear tag filter" onClick={() => patch({ tag: '' })}>
              ×
            </button>
          </span>
        </Show>
      </div>
      <section class="panel">
        <PagedListBody list={list} noun="scripts" moreTestId="scripts-more" empty={<span data-testid="scripts-empty">No scripts match.</span>}>
          <table class="table table-click" data-testid="scripts-table">
            <thead>
              <tr>
                <th class="col-wide">Name</th>
                <th>Category</th>
                <th>Platforms</th>
                <th>Tags</th>
                <th class="num">Version</th>
              </tr>
            </thead>
            <tbody ref={body}>
              <For each={list.items()}>
                {(s, i) => (
                  <tr data-index={i()} data-testid="script-row" classList={{ 'is-selected': cursor() === i() }} onClick={() => open(s)}>
                    <td>
                      <A href={`/scripts/${s.id}`} class="row-link">
                        {s.name}
                      </A>{' '}
                      <Show when={s.builtin}>
                        <span class="badge badge-info" data-testid="builtin-badge">built-in</span>
                      </Show>
                      <div class="muted small ellipsis">{s.description}</div>
                    </td>
                    <td>{s.category}</td>
                    <td>{s.platforms.join(', ')}</td>
                    <td>
                      <For each={s.tags}>
                        {(t) => (
                          <button type="button" class="chip chip-button" onClick={(e) => (e.stopPropagation(), patch({ tag: t }))}>
                            {t}
                          </button>
                        )}
                      </For>
                    </td>
                    <td class="num mono">v{s.version}</td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </PagedListBody>
      </section>
      <div class="hint muted">
        <kbd>/</kbd> search · <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>Enter</kbd> open
      </div>
    </div>
  );
}
