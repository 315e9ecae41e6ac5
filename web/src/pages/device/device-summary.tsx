import { For, Show, type JSX } from 'solid-js';
import { now } from '../../lib/clock';
import { formatDateTime, formatDuration, relativeTime } from '../../lib/format';
import { StatusDot } from '../../components/status-dot';
import type { DeviceDetail } from './device-types';

/** Facts about the device. All agent-reported values land in text nodes. */
export function DeviceSummary(props: {
  device: DeviceDetail;
  online: boolean;
  lastSeenAt: number | null;
  uptimeSeconds: number | null;
  ipAddresses: string[];
}): JSX.Element {
  const d = () => props.device;
  return (
    <section class="panel">
      <div class="panel-head">
        <h2>Summary</h2>
        <StatusDot status={props.online ? 'online' : 'offline'} testId="device-status" />
      </div>
      <dl class="facts">
        <dt>Hostname</dt>
        <dd class="mono">{d().hostname}</dd>
        <dt>Client / site</dt>
        <dd data-testid="device-site">
          {d().clientName ?? d().clientId} / {d().siteName ?? d().siteId}
        </dd>
        <dt>Operating system</dt>
        <dd>
          {d().osName} {d().osVersion} <span class="muted">({d().osPlatform})</span>
        </dd>
        <dt>Kernel</dt>
        <dd class="mono">{d().kernel ?? '—'}</dd>
        <dt>Architecture</dt>
        <dd>{d().arch}</dd>
        <dt>Agent version</dt>
        <dd class="mono">{d().agentVersion}</dd>
        <dt>IP addresses</dt>
        <dd class="mono">
          <Show when={props.ipAddresses.length} fallback="—">
            <For each={props.ipAddresses}>{(ip) => <div>{ip}</div>}</For>
          </Show>
        </dd>
        <dt>Enrolled</dt>
        <dd>{formatDateTime(d().enrolledAt)}</dd>
        <dt>Last seen</dt>
        <dd title={formatDateTime(props.lastSeenAt)}>{props.online ? 'connected now' : relativeTime(props.lastSeenAt, now())}</dd>
        <Show when={props.uptimeSeconds !== null}>
          <dt>Uptime</dt>
          <dd>{formatDuration(props.uptimeSeconds!)}</dd>
        </Show>
        <dt>Device id</dt>
        <dd class="mono small">{d().id}</dd>
      </dl>
    </section>
  );
}
