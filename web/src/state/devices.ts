import { batch, createSignal } from 'solid-js';
import { createStore, produce, reconcile, unwrap } from 'solid-js/store';
import { api, call, fetchAll, type Data } from '../api/client';
import { toFailure } from '../api/errors';
import type { DeviceChange } from '../../../protocol/live';

export type Device = Data<typeof api.devices.$get>['items'][number];

const PAGE = 1000;

/*
 * Every device of the tenant, by id. Rows are fine-grained store nodes so a status frame
 * repaints one cell; the list view re-filters on `revision`, bumped once per batch of
 * changes, instead of tracking 10,000 rows field by field.
 */
const [state, setState] = createStore<{ byId: Record<string, Device> }>({ byId: {} });
const [revision, setRevision] = createSignal(0);
const [loading, setLoading] = createSignal(false);
const [loaded, setLoaded] = createSignal(false);
const [loadError, setLoadError] = createSignal<string | null>(null);

export { loading as devicesLoading, loaded as devicesLoaded, loadError as devicesLoadError, revision as devicesRevision };

/** The live row (reactive per field). */
export function deviceById(id: string): Device | undefined {
  return state.byId[id];
}

/** Every row as plain objects, for filtering and sorting without subscribing to each field. */
export function allDevicesRaw(): Device[] {
  revision();
  return Object.values(unwrap(state).byId);
}

let inflight: Promise<void> | null = null;

/** Fetch every page (following nextCursor); rows show up page by page on first load. */
export function loadDevices(): Promise<void> {
  if (inflight) return inflight;
  const first = !loaded();
  setLoading(true);
  setLoadError(null);
  inflight = (async () => {
    try {
      const all = await fetchAll(
        (cursor) => call(api.devices.$get({ query: { limit: String(PAGE), ...(cursor ? { cursor } : {}) } })),
        first
          ? (items) => {
              batch(() => {
                setState('byId', produce((byId) => { for (const d of items) byId[d.id] = d; }));
                setRevision((r) => r + 1);
              });
            }
          : undefined,
      );
      const next: Record<string, Device> = {};
      for (const d of all) next[d.id] = d;
      batch(() => {
        // reconcile keeps unchanged rows' identity, so visible cells do not flash.
        setState('byId', reconcile(next));
        setRevision((r) => r + 1);
        setLoaded(true);
      });
    } catch (err) {
      setLoadError(toFailure(err).message);
    } finally {
      setLoading(false);
      inflight = null;
    }
  })();
  return inflight;
}

let pending = new Map<string, DeviceChange>();
let flushTimer: ReturnType<typeof setTimeout> | undefined;
let refetchTimer: ReturnType<typeof setTimeout> | undefined;

/** Coalesce bursts (a site losing power sends hundreds of frames) into one update per 250 ms. */
export function applyDeviceChange(change: DeviceChange): void {
  pending.set(change.id, { ...pending.get(change.id), ...change });
  flushTimer ??= setTimeout(flushChanges, 250);
}

function flushChanges(): void {
  flushTimer = undefined;
  const changes = pending;
  pending = new Map();
  let unknown = false;
  batch(() => {
    for (const c of changes.values()) {
      if (!state.byId[c.id]) {
        unknown = true;
        continue;
      }
      setState('byId', c.id, (row) => ({
        status: c.status,
        lastSeenAt: c.lastSeenAt ?? row.lastSeenAt,
        ...(c.hostname !== undefined ? { hostname: c.hostname } : {}),
        ...(c.agentVersion !== undefined ? { agentVersion: c.agentVersion } : {}),
        ...(c.ipAddresses !== undefined ? { ipAddresses: c.ipAddresses } : {}),
      }));
    }
    setRevision((r) => r + 1);
  });
  if (unknown) scheduleRefetch();
}

export function removeDevice(id: string): void {
  batch(() => {
    setState('byId', produce((byId) => { delete byId[id]; }));
    setRevision((r) => r + 1);
  });
}

/** Patch a row after an edit on the device page, so the list agrees without a refetch. */
export function patchDevice(id: string, patch: Partial<Device>): void {
  if (!state.byId[id]) return;
  batch(() => {
    setState('byId', id, patch);
    setRevision((r) => r + 1);
  });
}

/** Enrollments arrive in waves; one refetch covers a wave. */
export function scheduleRefetch(): void {
  clearTimeout(refetchTimer);
  refetchTimer = setTimeout(() => void loadDevices(), 1000);
}
