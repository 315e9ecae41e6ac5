import { createResource, type Accessor } from 'solid-js';
import type { StateData, StateSection } from '../../../../protocol/device-state';
import { api, call } from '../../api/client';
import { toFailure, type ApiFailure } from '../../api/errors';
import { settled } from '../../lib/resource';
import type { DeviceLive } from './device-live';

export interface DeviceSection<S extends StateSection> {
  /** null before the agent first reported this section. */
  data: Accessor<StateData<S> | null>;
  at: Accessor<number | null>;
  loaded: Accessor<boolean>;
  loading: Accessor<boolean>;
  failure: Accessor<ApiFailure | null>;
  refetch: () => void;
}

/** One collector section (services, processes…) of a device, read again whenever the hub says it changed. */
export function createDeviceSection<S extends StateSection>(deviceId: string, section: S, live: DeviceLive): DeviceSection<S> {
  const [res, { refetch }] = createResource(
    () => deviceId,
    (id) => call(api.devices[':id'].state[':section'].$get({ param: { id, section } })),
  );
  let timer: ReturnType<typeof setTimeout> | undefined;
  live.onState((s) => {
    if (s !== section) return;
    clearTimeout(timer);
    timer = setTimeout(() => void refetch(), 200);
  });
  return {
    // The answer's type is a union of every section; the route answers the section asked for.
    data: () => (settled(res)?.data ?? null) as StateData<S> | null,
    at: () => settled(res)?.at ?? null,
    loaded: () => settled(res) !== undefined,
    loading: () => res.loading,
    failure: () => (res.error ? toFailure(res.error) : null),
    refetch: () => void refetch(),
  };
}
