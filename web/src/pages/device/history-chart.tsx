import uPlot from 'uplot';
import { createEffect, onCleanup, onMount, Show, type JSX } from 'solid-js';

export interface ChartSeries {
  label: string;
  color: string;
  format: (v: number) => string;
  dash?: number[];
}

export interface ChartMarker {
  /** ms */
  ts: number;
  color: string;
}

export function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

/**
 * One metric over a chosen range. Alert openings are dashed vertical lines drawn on the
 * canvas (the tab lists the same alerts as text beside the charts). Charts sharing a
 * `syncKey` move their cursors together.
 */
export function HistoryChart(props: {
  title: string;
  /** [ts in seconds, ...one array per series] */
  data: (number | null)[][];
  series: ChartSeries[];
  /** [from, to] in seconds: the x axis spans the range asked for, even where data is missing. */
  xRange: [number, number];
  yRange?: [number, number];
  yFormat: (v: number) => string;
  markers: ChartMarker[];
  syncKey: string;
  testId: string;
  height?: number;
}): JSX.Element {
  let host!: HTMLDivElement;
  let plot: uPlot | undefined;
  const height = () => props.height ?? 170;
  const empty = () => (props.data[0]?.length ?? 0) === 0;

  const drawMarkers = (u: uPlot) => {
    const { left, top, width, height: h } = u.bbox;
    const ctx = u.ctx;
    ctx.save();
    ctx.lineWidth = 1.5 * uPlot.pxRatio;
    ctx.setLineDash([5 * uPlot.pxRatio, 4 * uPlot.pxRatio]);
    for (const m of props.markers) {
      const x = Math.round(u.valToPos(m.ts / 1000, 'x', true));
      if (x < left || x > left + width) continue;
      ctx.strokeStyle = m.color;
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, top + h);
      ctx.stroke();
    }
    ctx.restore();
  };

  onMount(() => {
    const axis = cssVar('--text-muted', '#6b7280');
    const grid = cssVar('--border', '#e5e7eb');
    plot = new uPlot(
      {
        width: host.clientWidth || 600,
        height: height(),
        legend: { show: true, live: true },
        cursor: { drag: { x: false, y: false }, sync: { key: props.syncKey } },
        scales: {
          x: { time: true, range: () => props.xRange },
          y: props.yRange ? { range: () => props.yRange! } : { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] },
        },
        axes: [
          { stroke: axis, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } },
          { stroke: axis, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid }, values: (_u, ticks) => ticks.map(props.yFormat), size: 70 },
        ],
        series: [
          {},
          ...props.series.map((s) => ({
            label: s.label,
            stroke: s.color,
            width: 1.5,
            dash: s.dash,
            spanGaps: false,
            value: (_u: uPlot, v: number | null) => (v == null ? '—' : s.format(v)),
          })),
        ],
        hooks: { draw: [drawMarkers] },
      },
      props.data as uPlot.AlignedData,
      host,
    );
    const resize = new ResizeObserver(() => plot?.setSize({ width: host.clientWidth, height: height() }));
    resize.observe(host);
    onCleanup(() => {
      resize.disconnect();
      plot?.destroy();
      plot = undefined;
    });
  });

  createEffect(() => {
    const data = props.data;
    void props.xRange;
    void props.markers;
    plot?.setData(data as uPlot.AlignedData);
  });

  return (
    <figure class="history-chart" data-testid={props.testId}>
      <figcaption class="chart-title">{props.title}</figcaption>
      <div class="chart-wrap">
        <div class="chart" ref={host} />
        <Show when={empty()}>
          <div class="chart-empty muted">No data in this range.</div>
        </Show>
      </div>
    </figure>
  );
}
