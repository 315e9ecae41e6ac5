import { createEffect, createMemo, createSignal, on, onCleanup, type Accessor } from 'solid-js';
import { api, call } from '../../api/client';
import { allDevicesRaw } from '../../state/devices';

/** Beyond this many online devices the overview stops sampling one by one (see below). */
export const MAX_SAMPLED = 25;
const REFRESH_MS = 60_000;
const WINDOW_MS = 10 * 60_000;
const PARALLEL = 4;

export interface DeviceLoad {
  id: string;
  hostname: string;
  cpu: number;
  diskUsed: number;
}

export type SampleState = 'loading' | 'ready' | 'none-online' | 'too-many';

/*
 * GET /devices carries no metrics, so the busiest and fullest machines cannot be ranked
 * from the list. For a small fleet the overview reads each online device's latest minute
 * (one request each, a few at a time, once a minute); for a larger one it says so rather
 * than rank a sample. A fleet-wide "latest metrics" answer from the API would lift this.
 */
export function createFleetLoad(): { loads: Accessor<DeviceLoad[]>; state: Accessor<SampleState>; online: Accessor<number> } {
  const [loads, setLoads] = createSignal<DeviceLoad[]>([]);
  const [state, setState] = createSignal<SampleState>('loading');
  const online = createMemo(() => allDevicesRaw().filter((d) => d.status === 'online'));
  // Only a change in which devices are online warrants a new round, not every heartbeat.
  const onlineKey = createMemo(() => online().map((d) => d.id).sort().join(','));
  let round = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const sample = async () => {
    clearTimeout(timer);
    const mine = ++round;
    const devices = online();
    if (!devices.length) return setState('none-online');
    if (devices.length > MAX_SAMPLED) return setState('too-many');
    const to = Date.now();
    const out: DeviceLoad[] = [];
    const queue = [...devices];
    const worker = async () => {
      for (let d = queue.shift(); d; d = queue.shift()) {
        try {
          const res = await call(api.devices[':id'].metrics.$get({ param: { id: d.id }, query: { from: String(to - WINDOW_MS), to: String(to) } }));
          const last = res.points[res.points.length - 1];
          if (last) out.push({ id: d.id, hostname: d.displayName || d.hostname, cpu: last.cpuAvg, diskUsed: last.diskMaxPercent });
        } catch {
          // One unreachable hub leaves that device out of the ranking, nothing more.
        }
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    if (mine !== round) return;
    setLoads(out);
    setState('ready');
    timer = setTimeout(() => void sample(), REFRESH_MS);
  };

  createEffect(on(onlineKey, () => void sample()));
  onCleanup(() => {
    round++;
    clearTimeout(timer);
  });
  return { loads, state, online: () => online().length };
}
