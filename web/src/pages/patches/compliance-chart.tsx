import uPlot from 'uplot';
import { createEffect, onCleanup, onMount, Show, type JSX } from 'solid-js';
import { cssVar } from '../device/history-chart';
import type { ComplianceReport } from '../../state/patches';

const HEIGHT = 240;
type Point = ComplianceReport['trend'][number];

/** Days as seconds for the time axis: each point sits at its day's start (UTC). */
export function trendData(points: Point[]): [number[], (number | null)[], number[]] {
  const sorted = [...points].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  return [
    sorted.map((p) => Date.parse(`${p.day}T00:00:00Z`) / 1000),
    sorted.map((p) => (p.scanned > 0 ? Math.round((p.fullyPatched / p.scanned) * 1000) / 10 : null)),
    sorted.map((p) => p.missingCritical),
  ];
}

/**
 * Compliance over time: the share of scanned devices fully patched (left axis, %) and the
 * devices missing a critical update (right axis, count). The table beside it has the numbers
 * as text.
 */
export function ComplianceChart(props: { points: Point[]; title: string }): JSX.Element {
  let host!: HTMLDivElement;
  let plot: uPlot | undefined;
  const data = () => trendData(props.points);

  onMount(() => {
    const axis = cssVar('--text-muted', '#6b7280');
    const grid = cssVar('--border', '#e5e7eb');
    plot = new uPlot(
      {
        width: host.clientWidth || 600,
        height: HEIGHT,
        legend: { show: true, live: true },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: true }, pct: { range: [0, 100] }, count: { range: (_u, _min, max) => [0, max > 0 ? Math.ceil(max * 1.15) : 1] } },
        axes: [
          { stroke: axis, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } },
          { scale: 'pct', stroke: axis, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid }, values: (_u, ticks) => ticks.map((t) => `${t}%`), size: 50 },
          { scale: 'count', side: 1, stroke: axis, grid: { show: false }, ticks: { stroke: grid }, values: (_u, ticks) => ticks.map((t) => (Number.isInteger(t) ? String(t) : '')), size: 50 },
        ],
        series: [
          {},
          { label: 'Fully patched', scale: 'pct', stroke: cssVar('--ok', '#16a34a'), width: 2, points: { show: true, size: 5 }, value: (_u, v) => (v == null ? '—' : `${v}%`) },
          { label: 'Missing critical', scale: 'count', stroke: cssVar('--bad', '#dc2626'), width: 1.5, dash: [6, 4], points: { show: true, size: 5 }, value: (_u, v) => (v == null ? '—' : `${v} devices`) },
        ],
      },
      data() as uPlot.AlignedData,
      host,
    );
    const resize = new ResizeObserver(() => plot?.setSize({ width: host.clientWidth, height: HEIGHT }));
    resize.observe(host);
    onCleanup(() => {
      resize.disconnect();
      plot?.destroy();
      plot = undefined;
    });
  });

  createEffect(() => {
    const d = data();
    plot?.setData(d as uPlot.AlignedData);
  });

  return (
    <figure class="history-chart" data-testid="compliance-chart" data-points={props.points.length}>
      <figcaption class="chart-title">{props.title}</figcaption>
      <div class="chart-wrap">
        <div class="chart" ref={host} />
        <Show when={!props.points.length}>
          <div class="chart-empty muted">No history in this period yet: a point is kept once a day.</div>
        </Show>
      </div>
    </figure>
  );
}
