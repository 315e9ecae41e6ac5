import { useSearchParams } from '@solidjs/router';
import { createEffect, createSignal, on, onCleanup, onMount, Show, type JSX } from 'solid-js';
import { describeFailure } from '../../api/errors';
import { followCursor } from '../../lib/follow-cursor';
import { isEditable } from '../../lib/keys';
import { createPagedList } from '../../lib/paged-list';
import { createSearchDraft } from '../../lib/search-draft';
import { createSelection } from '../../lib/selection';
import { can } from '../../state/session';
import { showToast } from '../../state/toasts';
import { decidePatches, listFleetPatches, type Decision, type FleetPatchRow, type PatchQuery } from '../../state/patches';
import { ListSearch } from '../../components/list-search';
import { PagedListBody } from '../../components/paged-list-body';
import { PatchFilters, type PatchParams } from './patch-filters';
import { PageHead } from '../../components/page-head';
import { PatchNav } from './patch-nav';
import { PatchTable } from './patch-table';
import './patches.css';

const VERB: Record<Decision, string> = { approved: 'approved', declined: 'declined', pending: 'back under policy' };

/**
 * The fleet's missing updates, one row per update with the devices missing it. Filters live in
 * the URL; rows are picked with the keyboard or checkboxes and decided in bulk (admins).
 */
export default function PatchesPage(): JSX.Element {
  const [search, setSearch] = useSearchParams<PatchParams>();
  const patch = (p: PatchParams) => setSearch(Object.fromEntries(Object.entries(p).map(([k, x]) => [k, x || null])) as never, { replace: true });
  const [draftQ, setDraftQ] = createSearchDraft(search.q ?? '', (q) => patch({ q }));
  const query = (): PatchQuery => ({ q: search.q, clientId: search.client, source: search.source, classification: search.classification, severity: search.severity, approval: search.approval });
  const list = createPagedList<FleetPatchRow>((cursor) => listFleetPatches(query(), cursor));
  createEffect(on(() => JSON.stringify(query()), () => void list.reload()));
  const selection = createSelection(list.items);
  const [expanded, setExpanded] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  let body: HTMLTableSectionElement | undefined;
  let searchBox!: HTMLInputElement;
  followCursor(selection.cursor, () => body!);

  const count = () => selection.selected().size;
  const decide = async (decision: Decision) => {
    const keys = selection.targets();
    if (!keys.length || busy() || !can('admin')) return;
    setBusy(true);
    try {
      await decidePatches(keys, decision);
      showToast(`${keys.length} update${keys.length === 1 ? '' : 's'} ${VERB[decision]}`);
      selection.clear();
      await list.reload();
    } catch (err) {
      showToast(`Not changed: ${describeFailure(err)}`, 'error');
    } finally {
      setBusy(false);
    }
  };
  const toggleDetail = (key: string) => setExpanded((k) => (k === key ? null : key));

  onMount(() => {
    const onKey = (e: KeyboardEvent) => {
      const inSearch = e.target === searchBox;
      // A row's checkbox keeps the page's keys (after a click it has the focus); Space there is its own toggle.
      const onCheckbox = e.target instanceof HTMLInputElement && e.target.type === 'checkbox';
      if (onCheckbox && e.key === ' ') return;
      if (isEditable(e.target) && !inSearch && !onCheckbox) return;
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'a' && !inSearch) {
        e.preventDefault();
        return selection.selectAll();
      }
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const k = e.key;
      if (k === 'Escape') return inSearch ? searchBox.blur() : selection.clear();
      if (inSearch) return;
      if (k === 'Enter' && e.target instanceof HTMLElement && e.target.closest('button, a')) return;
      const row = list.items()[selection.cursor()];
      const handled = (() => {
        switch (k) {
          case '/': searchBox.focus(); searchBox.select(); return true;
          case 'ArrowDown': case 'j': case 'J': selection.move(selection.cursor() + 1, e.shiftKey); return true;
          case 'ArrowUp': case 'k': case 'K': selection.move(selection.cursor() - 1, e.shiftKey); return true;
          case 'x': case ' ': if (row) selection.toggle(row.id); return !!row;
          case 'Enter': case 'o': if (row) toggleDetail(row.key); return !!row;
          // Decisions by key apply to checked rows only: one stray key must not approve the cursor's row.
          case 'a': case 'd': case 'p':
            if (!count() || !can('admin')) return false;
            void decide(k === 'a' ? 'approved' : k === 'd' ? 'declined' : 'pending');
            return true;
          default: return false;
        }
      })();
      if (handled) e.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    onCleanup(() => document.removeEventListener('keydown', onKey));
  });

  const filtered = () => Object.values(query()).some(Boolean);

  return (
    <div class="page">
      <PageHead title="Patches" onRefresh={list.reload} busy={list.loading()} />
      <PatchNav current="updates" />
      <div class="toolbar">
        <ListSearch ref={searchBox} value={draftQ()} onInput={setDraftQ} placeholder="Search title, package, KB or CVE" label="Search updates" testId="patch-search" />
        <PatchFilters search={search} onChange={patch} />
      </div>
      <Show when={count() > 0}>
        <div class="bulk-bar" role="region" aria-label="Selected updates" data-testid="patch-bulk-bar">
          <strong>{count().toLocaleString()} selected</strong>
          <Show when={can('admin')} fallback={<span class="muted small">Only admins decide on updates.</span>}>
            <button type="button" class="btn btn-primary btn-small" data-testid="patch-approve" disabled={busy()} onClick={() => void decide('approved')}>
              Approve (a)
            </button>
            <button type="button" class="btn btn-small" data-testid="patch-decline" disabled={busy()} onClick={() => void decide('declined')}>
              Decline (d)
            </button>
            <button type="button" class="btn btn-small" data-testid="patch-reset" disabled={busy()} onClick={() => void decide('pending')} title="Withdraw the decision: the approval policy decides again">
              Reset to policy (p)
            </button>
          </Show>
          <button type="button" class="btn btn-ghost btn-small" onClick={() => selection.clear()}>
            Clear (Esc)
          </button>
        </div>
      </Show>
      <section class="panel">
        <PagedListBody list={list} noun="updates" moreTestId="patches-more" empty={<span data-testid="patches-empty">{filtered() ? 'No missing update matches.' : 'No device is missing an update, or none has been scanned yet.'}</span>}>
          <PatchTable items={list.items()} selection={selection} expanded={expanded()} onExpand={toggleDetail} bodyRef={(el) => (body = el)} />
        </PagedListBody>
      </section>
      <div class="hint muted">
        <kbd>/</kbd> search · <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>x</kbd> or <kbd>Space</kbd> select · <kbd>Shift</kbd>+arrows extend · <kbd>Ctrl</kbd>+<kbd>A</kbd> all ·{' '}
        <kbd>Enter</kbd> details · <kbd>a</kbd> approve · <kbd>d</kbd> decline · <kbd>p</kbd> reset to policy · <kbd>Esc</kbd> clear
      </div>
    </div>
  );
}
