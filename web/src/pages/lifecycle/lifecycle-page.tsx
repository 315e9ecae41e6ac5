import { A, useNavigate } from '@solidjs/router';
import { createSignal, For, Show, type JSX } from 'solid-js';
import { createListPage } from '../../lib/list-page';
import { can } from '../../state/session';
import { ClientFilter } from '../../components/client-filter';
import { PagedListBody } from '../../components/paged-list-body';
import { asGrade, GRADES, lifecycleCsvHref, listLifecycle, type LifecycleItem, type LifecycleSummary } from './lifecycle-data';
import { GradeBadge, ScoreBar } from './score-view';
import { LifecycleSettingsPanel } from './lifecycle-settings';

type Params = { client?: string; grade?: string };

/** The counted component that costs the score most points: what to look at first. */
function weakest(row: LifecycleItem) {
  const lost = (c: LifecycleItem['components'][number]) => (100 - c.score!) * c.weight;
  return row.components.filter((c) => c.score !== null && c.score < 75).sort((a, b) => lost(b) - lost(a))[0] ?? null;
}

/** Every device's health score, grade, age and replacement date, worst first; a row opens the device. */
export default function LifecyclePage(): JSX.Element {
  const navigate = useNavigate();
  const [summary, setSummary] = createSignal<LifecycleSummary | null>(null);
  const open = (row: LifecycleItem) => navigate(`/devices/${row.deviceId}`);
  const page = createListPage({
    query: (search: Params) => ({ clientId: search.client, grade: asGrade(search.grade) }),
    fetchPage: (q, cursor) => listLifecycle(q, cursor, setSummary),
    open,
  });
  const { search, patch, list, cursor } = page;
  const grade = () => asGrade(search.grade);

  return (
    <div class="page">
      <div class="page-head">
        <h1>Lifecycle</h1>
        <span class="spacer" />
        <a class="btn" href={lifecycleCsvHref({ clientId: search.client, grade: grade() })} download="" data-testid="lifecycle-csv">
          CSV
        </a>
        <button type="button" class="btn" onClick={() => void list.reload()} disabled={list.loading()}>
          Refresh
        </button>
      </div>
      <Show when={summary()}>
        {(s) => (
          <div class="tiles" data-testid="lifecycle-summary">
            <For each={GRADES}>
              {(g) => (
                <button
                  type="button"
                  class={`tile ${g === 'F' ? 'tile-bad' : g === 'D' ? 'tile-warn' : g === 'C' ? '' : 'tile-ok'}`}
                  classList={{ 'is-active': grade() === g }}
                  aria-pressed={grade() === g}
                  data-testid={`lifecycle-tile-${g}`}
                  onClick={() => patch({ grade: grade() === g ? '' : g })}
                >
                  <span class="tile-value">{s().grades[g] ?? 0}</span>
                  <span class="tile-label">Grade {g}</span>
                </button>
              )}
            </For>
            <div class={`tile ${s().replaceWithin12Months ? 'tile-warn' : 'tile-muted'}`} data-testid="lifecycle-due">
              <span class="tile-value">{s().replaceWithin12Months}</span>
              <span class="tile-label">Replace within 12 months</span>
            </div>
            <div class="tile tile-muted">
              <span class="tile-value" data-testid="lifecycle-average-age">
                {s().averageAgeYears === null ? '—' : `${s().averageAgeYears} y`}
              </span>
              <span class="tile-label">Average age</span>
            </div>
          </div>
        )}
      </Show>
      <div class="toolbar">
        <select class="input select" aria-label="Grade" data-testid="lifecycle-filter-grade" onChange={(e) => patch({ grade: e.currentTarget.value })}>
          <option value="">Any grade</option>
          <For each={GRADES}>{(g) => <option value={g} selected={g === grade()}>Grade {g}</option>}</For>
        </select>
        <ClientFilter value={search.client} onChange={(client) => patch({ client })} testId="lifecycle-filter-client" anyLabel="Any client" />
      </div>
      <section class="panel">
        <PagedListBody list={list} noun="devices" moreTestId="lifecycle-more" empty={<span data-testid="lifecycle-empty">No devices in this view.</span>}>
          <table class="table table-click" data-testid="lifecycle-table">
            <thead>
              <tr>
                <th class="col-wide">Device</th>
                <th>Client</th>
                <th>Model</th>
                <th>Score</th>
                <th>Grade</th>
                <th>Age</th>
                <th>Replace by</th>
                <th>Weakest</th>
              </tr>
            </thead>
            <tbody ref={page.bodyRef}>
              <For each={list.items()}>
                {(r, i) => (
                  <tr data-index={i()} data-testid="lifecycle-row" data-device-id={r.deviceId} classList={{ 'is-selected': cursor() === i() }} onClick={() => open(r)}>
                    <td>
                      <A href={`/devices/${r.deviceId}`} class="row-link mono">
                        {r.hostname}
                      </A>
                    </td>
                    <td>{r.clientName}</td>
                    <td class="small">{[r.manufacturer, r.model].filter(Boolean).join(' ')}</td>
                    <td>
                      <ScoreBar score={r.score} label={`score ${r.score}`} />
                    </td>
                    <td>
                      <GradeBadge grade={r.grade} testId="lifecycle-grade" />
                    </td>
                    <td class="nowrap" title={r.since ? `since ${r.sinceSource} ${r.since}` : undefined}>
                      {r.ageYears === null ? <span class="muted">unknown</span> : `${r.ageYears} y`}
                    </td>
                    <td class="nowrap" title={r.replaceReason}>
                      <span class="mono">{r.replaceBy ?? '—'}</span>
                    </td>
                    <td class="small">
                      <Show when={weakest(r)} fallback={<span class="muted">—</span>}>
                        {(c) => (
                          <span title={c().detail}>
                            {c().label}: {c().score}
                          </span>
                        )}
                      </Show>
                    </td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </PagedListBody>
      </section>
      <div class="hint muted">
        <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>Enter</kbd> open
      </div>
      <Show when={can('admin')}>
        <LifecycleSettingsPanel onSaved={() => void list.reload()} />
      </Show>
    </div>
  );
}
