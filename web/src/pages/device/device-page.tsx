import { A, useParams } from '@solidjs/router';
import { createEffect, createResource, createSignal, ErrorBoundary, lazy, Match, on, Show, Suspense, Switch, type JSX } from 'solid-js';
import { settled } from '../../lib/resource';
import { api, call } from '../../api/client';
import { describeFailure } from '../../api/errors';
import { deviceById, patchDevice } from '../../state/devices';
import { can } from '../../state/session';
import { toastError } from '../../state/toasts';
import { Empty, Loading } from '../../components/feedback';
import { InlineEdit } from '../../components/inline-edit';
import { StatusDot } from '../../components/status-dot';
import { openDeviceLive, type DeviceLive } from './device-live';
import { createTrackerSlot, trackCommand } from './command-tracker';
import { DeviceTabs, parseTab, type DeviceTab } from './device-tabs';
import { DeviceOverview } from './device-overview';
import type { DeviceDetail, DeviceDetailResponse } from './device-types';

// The monitoring tabs load on first visit: most visits only need the overview.
const MetricsTab = lazy(() => import('./metrics-tab'));
const ChecksTab = lazy(() => import('./checks-tab'));
const EventsTab = lazy(() => import('./events-tab'));
const ServicesTab = lazy(() => import('./services-tab'));
const ProcessesTab = lazy(() => import('./processes-tab'));
const ActionsTab = lazy(() => import('./remote-actions'));
const InventoryArea = lazy(() => import('./inventory-area'));
const PatchesTab = lazy(() => import('./patches-tab'));

export default function DevicePage(): JSX.Element {
  const params = useParams<{ id: string; tab?: string }>();
  // Keyed on the id: another device mounts a fresh view with its own socket; a tab does not.
  return (
    <div class="page">
      <Show when={params.id} keyed>
        {(id) => <DeviceLoader id={id} tab={parseTab(params.tab)} />}
      </Show>
    </div>
  );
}

function DeviceLoader(props: { id: string; tab: DeviceTab }): JSX.Element {
  const [detail, { mutate }] = createResource(
    () => props.id,
    (id) => call(api.devices[':id'].$get({ param: { id } })),
  );
  return (
    <Show when={!detail.error} fallback={<Empty>{describeFailure(detail.error)} <A href="/devices">Back to devices</A></Empty>}>
      <Show when={settled(detail)} fallback={<Loading label="Loading device…" />}>
        {(d) => (
          <ErrorBoundary fallback={(err) => <Empty>Something broke on this page: {String(err)}</Empty>}>
            <DeviceView detail={d()} tab={props.tab} onChange={(device) => mutate({ ...d(), device })} />
          </ErrorBoundary>
        )}
      </Show>
    </Show>
  );
}

function DeviceView(props: { detail: DeviceDetailResponse; tab: DeviceTab; onChange: (d: DeviceDetail) => void }): JSX.Element {
  const device = props.detail.device;
  const live: DeviceLive = openDeviceLive(device.id);
  const [viewing, setViewing] = createTrackerSlot();
  const [historyVersion, setHistoryVersion] = createSignal(0);
  const bumpHistory = () => setHistoryVersion((v) => v + 1);

  // The hub may not answer (null): the device row and the socket still tell the story.
  const initial = () => props.detail.live;
  const row = () => deviceById(device.id);
  // Two sources report transitions (device socket, tenant feed): the latest change wins.
  const [online, setOnline] = createSignal(initial()?.online ?? row()?.status === 'online');
  createEffect(on(live.online, (v) => v !== null && setOnline(v), { defer: true }));
  createEffect(on(() => row()?.status, (s) => s && setOnline(s === 'online'), { defer: true }));
  const lastSeenAt = () => live.lastSeenAt() ?? initial()?.lastSeenAt ?? row()?.lastSeenAt ?? props.detail.device.lastSeenAt;
  const sample = () => live.latest() ?? initial()?.latest ?? null;
  const ips = () => sample()?.ipAddresses ?? (initial()?.ipAddresses.length ? initial()!.ipAddresses : (props.detail.device.ipAddresses ?? []));

  // The list row follows every edit, so going back shows it without a refetch.
  const changed = (next: DeviceDetail) => {
    props.onChange(next);
    patchDevice(device.id, next);
  };

  const save = async (patch: { displayName?: string | null; tags?: string[] }) => {
    try {
      changed((await call(api.devices[':id'].$patch({ param: { id: device.id }, json: patch }))).device);
    } catch (err) {
      toastError(err);
      throw err;
    }
  };

  const openCommand = async (id: string) => {
    try {
      const res = await call(api.commands[':id'].$get({ param: { id } }));
      setViewing(trackCommand(live, res.command, bumpHistory));
    } catch (err) {
      toastError(err);
    }
  };

  const title = () => props.detail.device.displayName || props.detail.device.hostname;

  return (
    <>
      <div class="page-head">
        <A href="/devices" class="btn btn-ghost" aria-label="Back to devices">
          ←
        </A>
        <h1>
          <Show when={can('technician')} fallback={title()}>
            <InlineEdit value={title()} label="device" save={(name) => save({ displayName: name })}>
              {title()}
            </InlineEdit>
          </Show>
        </h1>
        <Show when={props.detail.device.displayName}>
          <span class="muted mono">{props.detail.device.hostname}</span>
        </Show>
        <StatusDot status={online() ? 'online' : 'offline'} />
        <span class="spacer" />
        <A href={`/alerts?device=${device.id}`} class="btn btn-small">
          Alerts
        </A>
      </div>
      <DeviceTabs deviceId={device.id} tab={props.tab} />
      {/* Its own boundary: a tab's code arriving must not blank the header and tabs. */}
      <Suspense fallback={<Loading />}>
        <Switch>
          <Match when={props.tab === 'overview'}>
            <DeviceOverview
              device={props.detail.device}
              live={live}
              online={online()}
              lastSeenAt={lastSeenAt()}
              sample={sample()}
              ipAddresses={ips()}
              saveTags={(tags) => save({ tags })}
              onMoved={changed}
              viewing={viewing()}
              setViewing={setViewing}
              historyVersion={historyVersion()}
              bumpHistory={bumpHistory}
              openCommand={(id) => void openCommand(id)}
            />
          </Match>
          <Match when={props.tab === 'metrics'}>
            <MetricsTab deviceId={device.id} />
          </Match>
          <Match when={props.tab === 'checks'}>
            <ChecksTab deviceId={device.id} live={live} />
          </Match>
          <Match when={props.tab === 'events'}>
            <EventsTab deviceId={device.id} />
          </Match>
          <Match when={props.tab === 'services'}>
            <ServicesTab deviceId={device.id} live={live} onCommand={bumpHistory} />
          </Match>
          <Match when={props.tab === 'processes'}>
            <ProcessesTab deviceId={device.id} live={live} onCommand={bumpHistory} />
          </Match>
          <Match when={props.tab === 'inventory' || props.tab === 'software' || props.tab === 'changes'}>
            <InventoryArea deviceId={device.id} live={live} tab={props.tab as 'inventory' | 'software' | 'changes'} />
          </Match>
          <Match when={props.tab === 'patches'}>
            <PatchesTab deviceId={device.id} live={live} onCommand={bumpHistory} />
          </Match>
          <Match when={props.tab === 'actions'}>
            <ActionsTab deviceId={device.id} hostname={device.hostname} osPlatform={device.osPlatform} live={live} onCommand={bumpHistory} />
          </Match>
        </Switch>
      </Suspense>
    </>
  );
}
