import { A, useNavigate } from '@solidjs/router';
import { For, Show, type JSX } from 'solid-js';
import { PLATFORMS, SCRIPT_CATEGORIES } from '../../../../protocol/scripts';
import { createListPage } from '../../lib/list-page';
import { can } from '../../state/session';
import { listScripts, type ScriptItem, type ScriptQuery } from '../../state/scripts';
import { PagedListBody } from '../../components/paged-list-body';
import { ListKeysHint, ListSearch } from '../../components/list-search';
import '../../styles/automation.css';

type Params = { q?: string; category?: string; platform?: string; tag?: string; source?: string };

/** The script library: the shipped catalog and the tenant's own scripts, filtered by the URL. */
export default function ScriptsPage(): JSX.Element {
  const navigate = useNavigate();
  const open = (s: ScriptItem) => navigate(`/scripts/${s.id}`);
  const page = createListPage({
    query: (search: Params): ScriptQuery => ({ q: search.q ?? '', category: search.category ?? '', platform: search.platform ?? '', tag: search.tag ?? '', source: search.source ?? '' }),
    fetchPage: listScripts,
    open,
  });
  const { search, patch, list, cursor } = page;

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
        <ListSearch ref={page.searchRef} value={page.draftQ()} onInput={page.setDraftQ} placeholder="Search name or description" label="Search scripts" testId="script-search" />
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
            <tbody ref={page.bodyRef}>
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
      <ListKeysHint />
    </div>
  );
}
