import { useNavigate, useSearchParams } from '@solidjs/router';
import { createMemo, createResource, createSignal, onCleanup, onMount, Show, type JSX } from 'solid-js';
import { canonicalJson } from '../../../../protocol/inventory';
import { describeFailure } from '../../api/errors';
import { createAction } from '../../lib/action';
import { deleteConfirmed } from '../../lib/delete-confirmed';
import { followCursor } from '../../lib/follow-cursor';
import { isEditable } from '../../lib/keys';
import { settled } from '../../lib/resource';
import { createSelection } from '../../lib/selection';
import { seedJob } from '../../state/jobs';
import { can } from '../../state/session';
import { showToast, toastError } from '../../state/toasts';
import { Empty, FormError } from '../../components/feedback';
import { SubmitForm } from '../../components/submit-form';
import { QueryBuilder } from './query-builder';
import { SavedSearches } from './saved-searches';
import { buildQuery, EMPTY_FILTER, newCondition, softwareDraft, toDraft, type QueryDraft } from './search-conditions';
import { createSavedSearch, deleteSavedSearch, downloadSearchCsv, listSavedSearches, loadSavedSearch, updateSavedSearch, type SavedSearch } from './search-data';
import { createSearchRun } from './search-run';
import { SearchResults } from './search-results';
import '../../styles/inventory.css';

const blank = (): QueryDraft => ({ match: 'all', conditions: [newCondition()], filter: { ...EMPTY_FILTER } });

/**
 * Fleet search: build a question about every device's inventory, run it (Enter), read the
 * devices it finds, keep it under a name, and aim a job at it.
 */
export default function FleetSearchPage(): JSX.Element {
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams<{ saved?: string; software?: string }>();
  const [draft, setDraft] = createSignal<QueryDraft>(params.software ? softwareDraft(params.software) : blank());
  const [problems, setProblems] = createSignal<{ path: string; message: string }[]>([]);
  const [current, setCurrent] = createSignal<SavedSearch | null>(null);
  const [name, setName] = createSignal('');
  const [savedList, { refetch }] = createResource(listSavedSearches);
  const search = createSearchRun();
  const selection = createSelection(search.rows);
  let body: HTMLTableSectionElement | undefined;
  let form: HTMLDivElement | undefined;
  followCursor(selection.cursor, () => body!);

  const built = () => {
    const b = buildQuery(draft());
    setProblems(b.ok ? [] : b.problems);
    return b.ok ? b.query : null;
  };
  const run = () => {
    const q = built();
    if (q) void search.run(q);
  };
  // Changed since it was saved: Update becomes the thing to do, and the job would run the stored query.
  const dirty = createMemo(() => {
    const c = current();
    const b = buildQuery(draft());
    return !!c && (!b.ok || canonicalJson(b.query) !== canonicalJson(c.query) || name().trim() !== c.name);
  });

  const open = (s: SavedSearch) => {
    setCurrent(s);
    setName(s.name);
    setDraft(toDraft(s.query));
    setParams({ saved: s.id, software: undefined }, { replace: true });
    run();
  };
  const startNew = () => {
    setCurrent(null);
    setName('');
    setDraft(blank());
    setParams({ saved: undefined, software: undefined }, { replace: true });
  };

  const save = createAction(async () => {
    const query = built();
    if (!query) return;
    const s = await createSavedSearch({ name: name().trim(), query });
    setCurrent(s);
    setParams({ saved: s.id, software: undefined }, { replace: true });
    showToast(`Saved "${s.name}".`);
    void refetch();
  });
  const update = createAction(async () => {
    const c = current();
    const query = built();
    if (!c || !query) return;
    setCurrent(await updateSavedSearch(c.id, { name: name().trim(), query }));
    showToast('Saved search updated.');
    void refetch();
  });
  const remove = () => {
    const c = current();
    if (c) void deleteConfirmed(`Delete the saved search "${c.name}"? Jobs already created keep their devices.`, () => deleteSavedSearch(c.id), 'Saved search deleted.', () => (startNew(), void refetch()));
  };
  const runJob = () => {
    const c = current();
    if (!c) return;
    seedJob({ target: { searchIds: [c.id] } });
    navigate('/jobs/new');
  };
  const csv = () => {
    const q = search.ran();
    if (q) downloadSearchCsv(q).catch(toastError);
  };

  onMount(() => {
    if (params.saved) loadSavedSearch(params.saved).then(open, toastError);
    else if (params.software) run();
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || isEditable(e.target)) return;
      if (e.key === 'Enter' && e.target instanceof HTMLElement && e.target.closest('button, a')) return;
      const rows = search.rows();
      const handled = (() => {
        switch (e.key) {
          case '/': form?.querySelector<HTMLInputElement>('input')?.focus(); return true;
          case 'j': case 'ArrowDown': selection.move(selection.cursor() + 1); return rows.length > 0;
          case 'k': case 'ArrowUp': selection.move(selection.cursor() - 1); return rows.length > 0;
          case 'Enter': case 'o': {
            const row = rows[selection.cursor()];
            if (row) navigate(`/devices/${row.deviceId}/inventory`);
            return !!row;
          }
          default: return false;
        }
      })();
      if (handled) e.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    onCleanup(() => document.removeEventListener('keydown', onKey));
  });

  const showMatched = () => !!search.ran()?.conditions.some((c) => c.field === 'software');
  return (
    <div class="page">
      <div class="page-head">
        <h1>Fleet search</h1>
        <Show when={current()}>{(c) => <span class="chip" data-testid="current-search">{c().name}</span>}</Show>
      </div>
      <div class="search-layout">
        <div class="stack">
          <section class="panel" ref={form}>
            <SubmitForm class="form" testId="search-form" onSubmit={run}>
              <QueryBuilder draft={draft()} onChange={setDraft} problems={problems()} onExample={(d) => (startNew(), setDraft(structuredClone(d)), run())} />
              <div class="row gap wrap">
                <button type="submit" class="btn btn-primary" data-testid="run-search" disabled={search.running()} title="Run (Enter)">
                  {search.running() ? 'Searching…' : 'Run search'}
                </button>
                <span class="spacer" />
                <Show when={can('technician')}>
                  <input class="input input-small" placeholder="Name to save it under" aria-label="Saved search name" data-testid="search-name" maxLength={120} value={name()}
                    onInput={(e) => setName(e.currentTarget.value)}
                    // Enter here saves (under this name), not runs.
                    onKeyDown={(e) => {
                      if (e.key !== 'Enter' || !name().trim()) return;
                      e.preventDefault();
                      e.stopPropagation();
                      if (!current()) void save.run();
                      else if (dirty()) void update.run();
                    }}
                  />
                  <button type="button" class="btn" data-testid="save-search" disabled={!name().trim() || save.pending()} onClick={() => void save.run()}>
                    {current() ? 'Save as new' : 'Save'}
                  </button>
                  <Show when={current()}>
                    <button type="button" class="btn" data-testid="update-search" disabled={!dirty() || update.pending()} onClick={() => void update.run()}>
                      Update
                    </button>
                    <button type="button" class="btn btn-ghost" data-testid="delete-search" onClick={remove}>
                      Delete
                    </button>
                  </Show>
                </Show>
              </div>
              <FormError failure={save.failure() ?? update.failure()} />
            </SubmitForm>
          </section>
          <section class="panel" data-testid="search-answer">
            <div class="panel-head toolbar">
              <h2>Devices</h2>
              <Show when={search.ran()}>
                <span class="muted small" data-testid="search-total">
                  {search.total().toLocaleString()} {search.total() === 1 ? 'device' : 'devices'} · {search.tookMs()} ms
                </span>
              </Show>
              <span class="spacer" />
              <Show when={search.ran()}>
                <button type="button" class="btn btn-small" data-testid="search-csv" onClick={csv}>
                  CSV
                </button>
              </Show>
              <Show when={can('technician')}>
                <button
                  type="button"
                  class="btn btn-small"
                  data-testid="search-run-job"
                  disabled={!current()}
                  title={current() ? (dirty() ? 'The job targets the saved version of this search' : 'A new job aimed at the devices this saved search finds') : 'Save the search first: a job targets a saved search'}
                  onClick={runJob}
                >
                  Run a job on these…
                </button>
              </Show>
            </div>
            <Show when={!search.failure()} fallback={<Empty>The search failed: {describeFailure(search.failure())}</Empty>}>
              <Show when={search.ran()} fallback={<Empty>Add conditions and press Enter, or start from an example.</Empty>}>
                <Show when={search.rows().length} fallback={<Empty>No device matches.</Empty>}>
                  <SearchResults rows={search.rows()} cursor={selection.cursor()} showMatched={showMatched()} bodyRef={(el) => (body = el)} onPick={(i) => selection.move(i)} />
                  <Show when={search.hasMore()}>
                    <button type="button" class="btn" data-testid="search-more" disabled={search.running()} onClick={() => void search.loadMore()}>
                      {search.running() ? 'Loading…' : 'Load more'}
                    </button>
                  </Show>
                  <div class="hint muted">
                    <kbd>Enter</kbd> run (in the form) · <kbd>/</kbd> edit · <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>o</kbd> open device
                  </div>
                </Show>
              </Show>
            </Show>
          </section>
        </div>
        <SavedSearches items={settled(savedList)} current={current()?.id ?? null} onOpen={open} onNew={startNew} />
      </div>
    </div>
  );
}
