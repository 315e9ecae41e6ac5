import uPlot from 'uplot';
import { createSignal, onCleanup, onMount, Show, type JSX } from 'solid-js';
import type { MetricsSample } from '../../../../protocol/metrics';
import { api, call } from '../../api/client';
import { percent } from '../../lib/format';
import type { DeviceLive } from './device-live';

const WINDOW_MS = 3600_000;
const HEIGHT = 220;

type Point = [ts: number, cpu: number, mem: number];

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

/** CPU % and memory % over the last hour: history from the API, then live samples. */
export function MetricsChart(props: { deviceId: string; live: DeviceLive }): JSX.Element {
  let host!: HTMLDivElement;
  let plot: uPlot | undefined;
  const points: Point[] = [];
  const [empty, setEmpty] = createSignal(true);

  const redraw = () => {
    const cutoff = Date.now() / 1000 - WINDOW_MS / 1000;
    while (points.length && points[0][0] < cutoff) points.shift();
    setEmpty(points.length === 0);
    plot?.setData([points.map((p) => p[0]), points.map((p) => p[1]), points.map((p) => p[2])]);
  };

  const add = (p: Point) => {
    // Samples come in order almost always; keep it sorted when one does not.
    let i = points.length;
    while (i > 0 && points[i - 1][0] > p[0]) i--;
    if (i > 0 && points[i - 1][0] === p[0]) points[i - 1] = p;
    else points.splice(i, 0, p);
  };

  const onSample = (s: MetricsSample) => {
    add([s.ts / 1000, s.cpuPercent, percent(s.memUsedBytes, s.memTotalBytes)]);
    redraw();
  };

  onMount(() => {
    const axis = cssVar('--text-muted', '#6b7280');
    const grid = cssVar('--border', '#e5e7eb');
    plot = new uPlot(
      {
        width: host.clientWidth || 600,
        height: HEIGHT,
        legend: { show: true, live: true },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: true }, y: { range: [0, 100] } },
        axes: [
          { stroke: axis, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } },
          { stroke: axis, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid }, values: (_u, ticks) => ticks.map((t) => `${t}%`), size: 48 },
        ],
        series: [
          {},
          { label: 'CPU', stroke: cssVar('--chart-cpu', '#2563eb'), width: 1.5, value: (_u, v) => (v == null ? '—' : `${v.toFixed(1)}%`) },
          { label: 'Memory', stroke: cssVar('--chart-mem', '#d97706'), width: 1.5, value: (_u, v) => (v == null ? '—' : `${v.toFixed(1)}%`) },
        ],
      },
      [[], [], []],
      host,
    );
    const resize = new ResizeObserver(() => plot?.setSize({ width: host.clientWidth, height: HEIGHT }));
    resize.observe(host);
    onCleanup(() => {
      resize.disconnect();
      plot?.destroy();
      plot = undefined;
    });

    props.live.onSample(onSample);
    const to = Date.now();
    call(
      api.devices[':id'].metrics.$get({
        param: { id: props.deviceId },
        query: { from: String(to - WINDOW_MS), to: String(to), resolution: 'minute' },
      }),
    )
      .then((res) => {
        for (const p of res.points) add([p.ts / 1000, p.cpuAvg, percent(p.memUsedAvg, p.memTotal)]);
        redraw();
      })
      .catch(() => {
        // History is a nicety; live samples still draw.
      });
  });

  return (
    <div class="chart-wrap">
      <div class="chart" data-testid="cpu-chart" ref={host} />
      <Show when={empty()}>
        <div class="chart-empty muted">No samples in the last hour yet.</div>
      </Show>
    </div>
  );
}
