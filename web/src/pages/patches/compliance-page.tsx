import { useSearchParams } from '@solidjs/router';
import { createResource, For, Show, type JSX } from 'solid-js';
import { describeFailure } from '../../api/errors';
import { settled } from '../../lib/resource';
import { complianceCsvHref, loadCompliance } from '../../state/patches';
import { Empty, Loading } from '../../components/feedback';
import { ComplianceChart } from './compliance-chart';
import { ComplianceTable } from './compliance-table';
import { PatchNav } from './patch-nav';
import './patches.css';

const PERIODS = ['7', '30', '90'] as const;
type Params = { days?: string; client?: string };

/**
 * Compliance per client: how many scanned devices miss nothing approved or awaiting approval,
 * and how many miss a critical update, now and day by day over the chosen period.
 */
export default function CompliancePage(): JSX.Element {
  const [search, setSearch] = useSearchParams<Params>();
  const days = () => PERIODS.find((p) => p === search.days) ?? '30';
  const [report, { refetch }] = createResource(() => ({ days: days() }), loadCompliance);
  // The chart follows one client, or the whole fleet (clientId null in the trend).
  const chartClient = () => search.client ?? '';
  const points = () => (settled(report)?.trend ?? []).filter((p) => (p.clientId ?? '') === chartClient());
  const chartTitle = () => {
    const c = settled(report)?.clients.find((x) => x.clientId === chartClient());
    return `${c ? c.clientName : 'Whole fleet'}, last ${days()} days`;
  };

  return (
    <div class="page">
      <div class="page-head">
        <h1>Patches</h1>
        <span class="spacer" />
        <div class="segmented" role="group" aria-label="Period">
          <For each={PERIODS}>
            {(p) => (
              <button type="button" class="btn btn-small" aria-pressed={days() === p} classList={{ 'is-active': days() === p }} data-testid={`compliance-days-${p}`} onClick={() => setSearch({ days: p }, { replace: true })}>
                {p} days
              </button>
            )}
          </For>
        </div>
        <a class="btn" href={complianceCsvHref({ days: days() })} download="" data-testid="compliance-csv">
          CSV
        </a>
        <button type="button" class="btn" onClick={() => void refetch()} disabled={report.loading}>
          Refresh
        </button>
      </div>
      <PatchNav current="compliance" />
      <Show when={!report.error} fallback={<Empty>Could not load compliance: {describeFailure(report.error)}</Empty>}>
        <Show when={settled(report)} fallback={<Loading label="Loading compliance…" />}>
          {(r) => (
            <div class="stack">
              <div class="tiles" data-testid="compliance-summary">
                <div class={`tile ${r().total.percent === null ? 'tile-muted' : r().total.percent! >= 95 ? 'tile-ok' : r().total.percent! >= 80 ? 'tile-warn' : 'tile-bad'}`}>
                  <span class="tile-value" data-testid="compliance-total-percent">
                    {r().total.percent === null ? '—' : `${Math.round(r().total.percent! * 10) / 10}%`}
                  </span>
                  <span class="tile-label">fully patched ({r().total.fullyPatched} of {r().total.scanned} scanned)</span>
                </div>
                <div class={`tile ${r().total.missingCritical ? 'tile-bad' : 'tile-ok'}`}>
                  <span class="tile-value">{r().total.missingCritical}</span>
                  <span class="tile-label">devices missing a critical update</span>
                </div>
                <div class={`tile ${r().total.devices > r().total.scanned ? 'tile-warn' : 'tile-muted'}`}>
                  <span class="tile-value">{r().total.devices - r().total.scanned}</span>
                  <span class="tile-label">devices never scanned</span>
                </div>
              </div>
              <section class="panel">
                <div class="panel-head toolbar">
                  <h2>Trend</h2>
                  <span class="spacer" />
                  <select class="input select" aria-label="Chart for" data-testid="compliance-chart-client" onChange={(e) => setSearch({ client: e.currentTarget.value || null }, { replace: true })}>
                    <option value="" selected={!chartClient()}>
                      Whole fleet
                    </option>
                    <For each={r().clients}>{(c) => <option value={c.clientId} selected={c.clientId === chartClient()}>{c.clientName}</option>}</For>
                  </select>
                </div>
                <ComplianceChart points={points()} title={chartTitle()} />
              </section>
              <section class="panel">
                <Show when={r().clients.length} fallback={<Empty>No client has devices yet.</Empty>}>
                  <ComplianceTable report={r()} />
                </Show>
              </section>
            </div>
          )}
        </Show>
      </Show>
    </div>
  );
}
