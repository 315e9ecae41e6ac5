import { A } from '@solidjs/router';
import { createMemo, Match, Show, Switch, type JSX } from 'solid-js';
import { alertSummary } from '../../state/alerts';
import { allDevicesRaw, devicesLoaded, devicesLoadError } from '../../state/devices';
import { BarList, type Bar } from '../../components/bars';
import { Loading } from '../../components/feedback';
import { createFleetLoad, MAX_SAMPLED } from './fleet-metrics';
import { RecentAlerts } from './recent-alerts';

const TOP = 5;

/** The landing page: is anything down or on fire, and where to look first. Live from the tenant feed. */
export function OverviewPage(): JSX.Element {
  const counts = createMemo(() => {
    const all = allDevicesRaw();
    const online = all.filter((d) => d.status === 'online').length;
    return { total: all.length, online, offline: all.length - online };
  });
  const fleet = createFleetLoad();

  const severityBars = (): Bar[] => {
    const s = alertSummary();
    if (!s) return [];
    return [
      { label: 'Critical', value: s.open.critical, tone: 'bad', href: '/alerts?view=open&severity=critical' },
      { label: 'Warning', value: s.open.warning, tone: 'warn', href: '/alerts?view=open&severity=warning' },
      { label: 'Info', value: s.open.info, tone: 'info', href: '/alerts?view=open&severity=info' },
      { label: 'Acknowledged', value: s.acknowledged, tone: 'ok', href: '/alerts?view=acknowledged' },
    ];
  };
  const busiest = (): Bar[] =>
    [...fleet.loads()]
      .sort((a, b) => b.cpu - a.cpu)
      .slice(0, TOP)
      .map((d) => ({ label: d.hostname, value: d.cpu, display: `${d.cpu.toFixed(0)} %`, href: `/devices/${d.id}/metrics`, tone: d.cpu >= 90 ? 'bad' : d.cpu >= 75 ? 'warn' : 'info' }));
  const fullest = (): Bar[] =>
    [...fleet.loads()]
      .sort((a, b) => b.diskUsed - a.diskUsed)
      .slice(0, TOP)
      .map((d) => ({
        label: d.hostname,
        value: d.diskUsed,
        display: `${Math.max(0, 100 - d.diskUsed).toFixed(0)} % free`,
        href: `/devices/${d.id}/metrics`,
        tone: d.diskUsed >= 90 ? 'bad' : d.diskUsed >= 80 ? 'warn' : 'info',
      }));

  const loadNote = () => (
    <Switch>
      <Match when={fleet.state() === 'too-many'}>
        <p class="muted small">
          {fleet.online().toLocaleString()} devices are online; ranking them needs their latest metrics in one answer, which the API does not give yet (up to {MAX_SAMPLED} are read one by one). Open a device's Metrics tab, or see the alerts.
        </p>
      </Match>
      <Match when={fleet.state() === 'none-online'}>
        <p class="muted small">No device is online.</p>
      </Match>
      <Match when={fleet.state() === 'loading'}>
        <Loading label="Reading the latest metrics…" />
      </Match>
    </Switch>
  );

  return (
    <div class="page">
      <div class="page-head">
        <h1>Overview</h1>
        <span class="spacer" />
        <A href="/devices" class="btn">
          All devices
        </A>
        <A href="/alerts" class="btn">
          All alerts
        </A>
      </div>
      <div class="tiles" data-testid="fleet-tiles">
        <A href="/devices?status=online" class="tile tile-ok">
          <span class="tile-value" data-testid="fleet-online">
            {counts().online.toLocaleString()}
          </span>
          <span class="tile-label">online</span>
        </A>
        <A href="/devices?status=offline" class="tile" classList={{ 'tile-muted': counts().offline === 0 }}>
          <span class="tile-value" data-testid="fleet-offline">
            {counts().offline.toLocaleString()}
          </span>
          <span class="tile-label">offline</span>
        </A>
        <A href="/alerts?view=open&severity=critical" class="tile" classList={{ 'tile-bad': !!alertSummary()?.open.critical }}>
          <span class="tile-value" data-testid="fleet-critical">
            {alertSummary()?.open.critical ?? '—'}
          </span>
          <span class="tile-label">critical open</span>
        </A>
        <A href="/alerts?view=open" class="tile" classList={{ 'tile-warn': !!alertSummary()?.open.warning }}>
          <span class="tile-value">{alertSummary() ? alertSummary()!.open.warning + alertSummary()!.open.info : '—'}</span>
          <span class="tile-label">warning & info open</span>
        </A>
      </div>
      <Show when={devicesLoadError() && !counts().total}>
        <div class="form-error">Could not load devices: {devicesLoadError()}</div>
      </Show>
      <Show when={devicesLoaded() && !counts().total}>
        <div class="panel">
          No devices yet. <A href="/enrollment">Create an enrollment key</A> and install the agent on a machine.
        </div>
      </Show>
      <div class="overview-grid">
        <section class="panel">
          <div class="panel-head">
            <h2>Alerts by severity</h2>
          </div>
          <Show when={alertSummary()} fallback={<Loading />}>
            <BarList bars={severityBars()} testId="severity-bars" />
          </Show>
        </section>
        <section class="panel">
          <div class="panel-head">
            <h2>Busiest CPUs</h2>
            <span class="muted small">latest minute</span>
          </div>
          <Show when={fleet.state() === 'ready'} fallback={loadNote()}>
            <BarList bars={busiest()} max={100} testId="busiest-cpu" empty="No metrics reported in the last 10 minutes." />
          </Show>
        </section>
        <section class="panel">
          <div class="panel-head">
            <h2>Least free disk</h2>
            <span class="muted small">fullest volume</span>
          </div>
          <Show when={fleet.state() === 'ready'} fallback={loadNote()}>
            <BarList bars={fullest()} max={100} testId="fullest-disk" empty="No metrics reported in the last 10 minutes." />
          </Show>
        </section>
      </div>
      <RecentAlerts />
    </div>
  );
}
