import { A, useSearchParams } from '@solidjs/router';
import { createMemo, createResource, For, onCleanup, Show, type JSX } from 'solid-js';
import { api, call, type Data } from '../../api/client';
import { describeFailure } from '../../api/errors';
import { formatDateTime, formatRate, percent } from '../../lib/format';
import { settled } from '../../lib/resource';
import type { Alert } from '../../state/alerts';
import { Empty, Loading } from '../../components/feedback';
import { AlertStatusBadge, SeverityBadge } from '../../components/severity';
import { cssVar, HistoryChart, type ChartMarker } from './history-chart';

const RANGES = { '1h': 3600, '6h': 6 * 3600, '24h': 86_400, '7d': 7 * 86_400, '30d': 30 * 86_400 } as const;
type Range = keyof typeof RANGES;
/** Minute points are kept for 48 h; longer ranges must ask for hourly ones. */
const MINUTE_HORIZON_S = 48 * 3600;
const REFRESH_MS = 60_000;

type Point = Data<(typeof api.devices)[':id']['metrics']['$get']>['points'][number];

const parseRange = (raw: string | undefined): Range => (raw && raw in RANGES ? (raw as Range) : '24h');

/** Seconds per point: about one per pixel, never finer than the stored minute. */
export function stepFor(rangeSeconds: number, widthPx: number): number {
  const step = Math.max(60, Math.ceil(rangeSeconds / Math.max(200, widthPx)));
  return rangeSeconds > MINUTE_HORIZON_S ? Math.max(step, 3600) : step;
}

async function loadRange(deviceId: string, range: Range, width: number) {
  const to = Date.now();
  const from = to - RANGES[range] * 1000;
  const [metrics, alerts] = await Promise.all([
    call(api.devices[':id'].metrics.$get({ param: { id: deviceId }, query: { from: String(from), to: String(to), step: String(stepFor(RANGES[range], width)) } })),
    call(api.alerts.$get({ query: { deviceId, status: 'open,acknowledged,resolved', from: String(from), to: String(to), limit: '500' } })),
  ]);
  return { from, to, points: metrics.points, alerts: alerts.items };
}

const pct = (v: number) => `${v.toFixed(v < 10 ? 1 : 0)} %`;

/** CPU, memory, disk and network over a chosen range, with the device's alerts marked on each. */
export default function MetricsTab(props: { deviceId: string }): JSX.Element {
  const [search, setSearch] = useSearchParams<{ range?: string }>();
  const range = () => parseRange(search.range);
  let host!: HTMLDivElement;
  const [data, { refetch }] = createResource(
    () => range(),
    (r) => loadRange(props.deviceId, r, host?.clientWidth || 900),
  );
  // Short ranges move while one watches; long ones barely do.
  const timer = setInterval(() => RANGES[range()] <= 86_400 && void refetch(), REFRESH_MS);
  onCleanup(() => clearInterval(timer));

  const colors = { a: cssVar('--chart-cpu', '#2457d6'), b: cssVar('--chart-mem', '#d97706') };
  const severityColor = (a: Alert) => cssVar(a.severity === 'critical' ? '--bad' : a.severity === 'warning' ? '--warn' : '--accent', '#888');

  const view = createMemo(() => {
    const d = settled(data);
    if (!d) return null;
    const col = (f: (p: Point) => number | null) => d.points.map(f);
    return {
      xRange: [d.from / 1000, d.to / 1000] as [number, number],
      ts: col((p) => p.ts / 1000),
      cpuAvg: col((p) => p.cpuAvg),
      cpuMax: col((p) => p.cpuMax),
      mem: col((p) => (p.memTotal > 0 ? percent(p.memUsedAvg, p.memTotal) : null)),
      swap: col((p) => p.swapMaxPercent),
      disk: col((p) => p.diskMaxPercent),
      rx: col((p) => p.netRxAvg),
      tx: col((p) => p.netTxAvg),
      markers: d.alerts.map((a): ChartMarker => ({ ts: a.openedAt, color: severityColor(a) })),
      alerts: d.alerts,
    };
  });

  return (
    <div class="stack" ref={host}>
      <div class="row gap">
        <div class="segmented" role="group" aria-label="Range">
          <For each={Object.keys(RANGES) as Range[]}>
            {(r) => (
              <button type="button" class="btn btn-small" aria-pressed={range() === r} classList={{ 'is-active': range() === r }} data-testid={`range-${r}`} onClick={() => setSearch({ range: r })}>
                {r}
              </button>
            )}
          </For>
        </div>
        <span class="muted small">{data.loading ? 'loading…' : settled(data) ? `${settled(data)!.points.length} points` : ''}</span>
        <span class="spacer" />
        <button type="button" class="btn btn-small" onClick={() => void refetch()} disabled={data.loading}>
          Refresh
        </button>
      </div>
      <Show when={!data.error || view()} fallback={<Empty>Could not load metrics: {describeFailure(data.error)}</Empty>}>
        <Show when={view()} fallback={<Loading label="Loading metrics…" />}>
          {(v) => (
            <div class="charts" classList={{ 'is-loading': data.loading }}>
              <HistoryChart title="CPU" testId="chart-cpu" syncKey="device-metrics" xRange={v().xRange} yRange={[0, 100]} yFormat={(n) => `${n}%`} markers={v().markers}
                data={[v().ts, v().cpuAvg, v().cpuMax]}
                series={[{ label: 'average', color: colors.a, format: pct }, { label: 'peak', color: colors.a, format: pct, dash: [4, 3] }]} />
              <HistoryChart title="Memory" testId="chart-memory" syncKey="device-metrics" xRange={v().xRange} yRange={[0, 100]} yFormat={(n) => `${n}%`} markers={v().markers}
                data={[v().ts, v().mem, v().swap]}
                series={[{ label: 'used', color: colors.b, format: pct }, { label: 'swap (peak)', color: colors.a, format: pct, dash: [4, 3] }]} />
              <HistoryChart title="Disk (fullest volume)" testId="chart-disk" syncKey="device-metrics" xRange={v().xRange} yRange={[0, 100]} yFormat={(n) => `${n}%`} markers={v().markers}
                data={[v().ts, v().disk]}
                series={[{ label: 'used', color: colors.b, format: pct }]} />
              <HistoryChart title="Network" testId="chart-network" syncKey="device-metrics" xRange={v().xRange} yFormat={formatRate} markers={v().markers}
                data={[v().ts, v().rx, v().tx]}
                series={[{ label: 'received', color: colors.a, format: formatRate }, { label: 'sent', color: colors.b, format: formatRate }]} />
              <section class="panel">
                <div class="panel-head">
                  <h2>Alerts in this range</h2>
                  <span class="muted small">dashed lines on the charts</span>
                </div>
                <Show when={v().alerts.length} fallback={<span class="muted">None.</span>}>
                  <table class="table" data-testid="range-alerts">
                    <tbody>
                      <For each={v().alerts}>
                        {(a) => (
                          <tr>
                            <td class="nowrap">{formatDateTime(a.openedAt)}</td>
                            <td><SeverityBadge severity={a.severity} /></td>
                            <td><AlertStatusBadge status={a.status} /></td>
                            <td class="ellipsis col-wide" title={a.message}>
                              <A href={`/alerts/${a.id}`}>{a.checkName}</A> <span class="muted">{a.message}</span>
                            </td>
                          </tr>
                        )}
                      </For>
                    </tbody>
                  </table>
                </Show>
              </section>
            </div>
          )}
        </Show>
      </Show>
    </div>
  );
}
