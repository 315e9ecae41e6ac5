import { createMemo, createSignal, For, Show, type JSX } from 'solid-js';
import type { ServiceInfo } from '../../../../protocol/device-state';
import type { ServiceParams } from '../../../../protocol/command';
import { describeFailure } from '../../api/errors';
import { now } from '../../lib/clock';
import { relativeTime } from '../../lib/format';
import { can } from '../../state/session';
import { toastError } from '../../state/toasts';
import { Empty, Loading } from '../../components/feedback';
import { Pager, pageOf } from '../../components/pager';
import { createDeviceSection } from './device-section';
import { describeCommand, sendDeviceCommand } from './device-command';
import { createTrackerSlot } from './command-tracker';
import { CommandPanel } from './command-panel';
import type { DeviceLive } from './device-live';

const PAGE = 100;
const TONE: Record<ServiceInfo['state'], string> = { running: 'ok', stopped: 'info', failed: 'bad', starting: 'warn', stopping: 'warn', other: 'info' };
type Action = ServiceParams['action'];

/** Services as the agent last reported them, with start, stop and restart. Names come from the device: text only. */
export default function ServicesTab(props: { deviceId: string; live: DeviceLive; onCommand: () => void }): JSX.Element {
  const section = createDeviceSection(props.deviceId, 'services', props.live);
  const [q, setQ] = createSignal('');
  const [state, setState] = createSignal<'' | 'running' | 'not-running'>('');
  const [page, setPage] = createSignal(0);
  const [busy, setBusy] = createSignal<string | null>(null);
  const [result, setResult] = createTrackerSlot();
  const [title, setTitle] = createSignal<string | null>(null);

  const filtered = createMemo(() => {
    const needle = q().trim().toLowerCase();
    return (section.data() ?? [])
      .filter((s) => !needle || s.name.toLowerCase().includes(needle) || (s.displayName ?? '').toLowerCase().includes(needle))
      .filter((s) => !state() || (state() === 'running') === (s.state === 'running'))
      .sort((a, b) => a.name.localeCompare(b.name));
  });

  const act = async (s: ServiceInfo, action: Action) => {
    if (action === 'stop' && !confirm(`Stop the service ${s.name}? Whatever depends on it stops working.`)) return;
    setBusy(s.name);
    try {
      const params = { name: s.name, action };
      const cmd = await sendDeviceCommand(props.deviceId, props.live, { type: 'service', params }, () => {
        props.onCommand();
        section.refetch();
      });
      setTitle(describeCommand('service', params));
      setResult(cmd);
      props.onCommand();
    } catch (err) {
      toastError(err);
    } finally {
      setBusy(null);
    }
  };

  return (
    <div class="stack">
      <CommandPanel title={title()} command={result()} />
      <section class="panel">
        <div class="panel-head">
          <h2>Services</h2>
          <Show when={section.at()}>{(at) => <span class="muted small">reported {relativeTime(at(), now())}</span>}</Show>
          <span class="spacer" />
          <input class="input input-small" type="search" placeholder="Filter by name" aria-label="Filter services" data-testid="service-filter" value={q()} onInput={(e) => (setQ(e.currentTarget.value), setPage(0))} />
          <select class="input select" aria-label="State" value={state()} onChange={(e) => (setState(e.currentTarget.value as '' | 'running' | 'not-running'), setPage(0))}>
            <option value="">Any state</option>
            <option value="running">Running</option>
            <option value="not-running">Not running</option>
          </select>
        </div>
        <Show when={!section.failure()} fallback={<Empty>Could not load services: {describeFailure(section.failure())}</Empty>}>
          <Show when={section.loaded()} fallback={<Loading />}>
            <Show when={section.data()} fallback={<Empty>The agent has not reported its services yet.</Empty>}>
              <Show when={filtered().length} fallback={<Empty>No services match.</Empty>}>
                <table class="table" data-testid="services-table">
                  <thead>
                    <tr>
                      <th>Name</th>
                      <th>Display name</th>
                      <th>State</th>
                      <th>Start mode</th>
                      <th />
                    </tr>
                  </thead>
                  <tbody>
                    <For each={pageOf(filtered(), page(), PAGE)}>
                      {(s) => (
                        <tr data-testid="service-row">
                          <td class="mono">{s.name}</td>
                          <td>{s.displayName ?? ''}</td>
                          <td>
                            <span class={`badge badge-${TONE[s.state]}`}>{s.state}</span>
                          </td>
                          <td>{s.startMode}</td>
                          <td class="actions">
                            <Show when={can('technician')}>
                              <div class="row gap">
                                <Show when={s.state !== 'running'}>
                                  <button type="button" class="btn btn-small" disabled={busy() !== null} onClick={() => void act(s, 'start')} aria-label={`Start ${s.name}`}>Start</button>
                                </Show>
                                <Show when={s.state === 'running'}>
                                  <button type="button" class="btn btn-small" disabled={busy() !== null} onClick={() => void act(s, 'stop')} aria-label={`Stop ${s.name}`}>Stop</button>
                                </Show>
                                <button type="button" class="btn btn-small" disabled={busy() !== null} onClick={() => void act(s, 'restart')} aria-label={`Restart ${s.name}`}>Restart</button>
                              </div>
                            </Show>
                          </td>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
                <Pager page={page()} size={PAGE} total={filtered().length} onPage={setPage} label="Service pages" />
              </Show>
            </Show>
          </Show>
        </Show>
      </section>
    </div>
  );
}
