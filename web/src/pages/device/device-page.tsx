import { A, useParams } from '@solidjs/router';
import { createEffect, createResource, createSignal, ErrorBoundary, on, Show, type JSX } from 'solid-js';
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
import { DeviceSummary } from './device-summary';
import { DeviceTags } from './device-tags';
import { DeviceMove } from './device-move';
import { DeviceGroupAdd } from './device-group-add';
import { DeviceInventory } from './device-inventory';
import { MetricsChart } from './metrics-chart';
import { ScriptRunner } from './script-runner';
import { CommandHistory } from './command-history';
import type { DeviceDetail, DeviceDetailResponse } from './device-types';

export default function DevicePage(): JSX.Element {
  const params = useParams<{ id: string }>();
  // Keyed on the id: another device mounts a fresh view with its own socket.
  return (
    <div class="page">
      <Show when={params.id} keyed>
        {(id) => <DeviceLoader id={id} />}
      </Show>
    </div>
  );
}

function DeviceLoader(props: { id: string }): JSX.Element {
  const [detail, { mutate }] = createResource(
    () => props.id,
    (id) => call(api.devices[':id'].$get({ param: { id } })),
  );
  return (
    <Show when={!detail.error} fallback={<Empty>{describeFailure(detail.error)} <A href="/devices">Back to devices</A></Empty>}>
      <Show when={settled(detail)} fallback={<Loading label="Loading device…" />}>
        {(d) => (
          <ErrorBoundary fallback={(err) => <Empty>Something broke on this page: {String(err)}</Empty>}>
            <DeviceView detail={d()} onChange={(device) => mutate({ ...d(), device })} />
          </ErrorBoundary>
        )}
      </Show>
    </Show>
  );
}

function DeviceView(props: { detail: DeviceDetailResponse; onChange: (d: DeviceDetail) => void }): JSX.Element {
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
      </div>
      <div class="device-layout">
        <div class="device-col">
          <DeviceSummary device={props.detail.device} online={online()} lastSeenAt={lastSeenAt()} uptimeSeconds={sample()?.uptimeSeconds ?? null} ipAddresses={ips()} />
          <section class="panel">
            <div class="panel-head">
              <h2>Tags</h2>
            </div>
            <DeviceTags tags={props.detail.device.tags ?? []} save={(tags) => save({ tags })} />
          </section>
          <Show when={can('technician')}>
            <section class="panel" data-testid="device-placement">
              <div class="panel-head">
                <h2>Site & groups</h2>
              </div>
              <DeviceMove device={props.detail.device} onMoved={changed} />
              <Show when={can('admin')}>
                <DeviceGroupAdd deviceId={device.id} />
              </Show>
            </section>
          </Show>
          <DeviceInventory sample={sample()} />
        </div>
        <div class="device-col device-col-wide">
          <section class="panel">
            <div class="panel-head">
              <h2>Performance</h2>
              <span class="muted">last hour · live</span>
              <span class="spacer" />
              <Show when={sample()}>
                {(s) => (
                  <span class="muted mono small">
                    CPU {s().cpuPercent.toFixed(1)}% · Mem {((s().memUsedBytes / Math.max(1, s().memTotalBytes)) * 100).toFixed(1)}%
                  </span>
                )}
              </Show>
            </div>
            <MetricsChart deviceId={device.id} live={live} />
          </section>
          <ScriptRunner
            deviceId={device.id}
            osPlatform={device.osPlatform}
            live={live}
            viewing={viewing()}
            onStarted={(cmd) => {
              setViewing(cmd);
              bumpHistory();
            }}
            onFinished={bumpHistory}
          />
          <CommandHistory deviceId={device.id} version={historyVersion()} selectedId={viewing()?.id ?? null} onSelect={(id) => void openCommand(id)} />
        </div>
      </div>
    </>
  );
}
