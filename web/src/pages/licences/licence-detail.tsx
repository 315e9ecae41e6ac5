import { A } from '@solidjs/router';
import { createResource, For, Show, type JSX } from 'solid-js';
import { describeFailure } from '../../api/errors';
import { settled } from '../../lib/resource';
import { can } from '../../state/session';
import { EndDate } from '../../components/days-left';
import { Empty, Loading } from '../../components/feedback';
import { ComplianceBadge, SeatUse } from './licence-compliance';
import { licenceDevices, type Licence } from './licence-data';
import { RevealKey } from './licence-key';

/** One licence beside the list: its facts, the key (revealed on request) and the devices using its seats. */
export function LicenceDetail(props: { licence: Licence; onEdit: () => void; onDelete: () => void; onClose: () => void }): JSX.Element {
  const [devices] = createResource(() => props.licence, (l) => licenceDevices(l.id));
  const l = () => props.licence;
  const rule = () => {
    const m = l().match;
    return [
      `name ${m.exact ? 'is' : 'contains'} “${m.name}”`,
      m.publisher ? `publisher contains “${m.publisher}”` : '',
      m.minVersion ? `version ${m.minVersion} or later` : '',
    ].filter(Boolean).join(', ');
  };

  return (
    <section class="panel" data-testid="licence-detail">
      <div class="panel-head">
        <h2>{l().product}</h2>
        <span class="spacer" />
        <Show when={can('technician')}>
          <button type="button" class="btn btn-small" data-testid="licence-edit" onClick={() => props.onEdit()}>
            Edit
          </button>
        </Show>
        <Show when={can('admin')}>
          <button type="button" class="btn btn-small btn-ghost" data-testid="licence-delete" onClick={() => props.onDelete()}>
            Delete
          </button>
        </Show>
        <button type="button" class="btn btn-small btn-ghost" onClick={() => props.onClose()}>
          Close
        </button>
      </div>
      <dl class="facts">
        <dt>Vendor</dt>
        <dd>{l().vendor ?? '—'}</dd>
        <dt>Client</dt>
        <dd>{l().clientName ?? 'Every client'}</dd>
        <dt>Seats used</dt>
        <dd>
          <SeatUse compliance={l().compliance} /> <ComplianceBadge compliance={l().compliance} />
        </dd>
        <dt>Expires</dt>
        <dd>
          <EndDate end={l().expires} daysLeft={l().daysLeft} none="perpetual" />
        </dd>
        <dt>Key</dt>
        <dd>
          <Show when={l().keyHint} fallback={<span class="muted">none stored</span>}>
            {(hint) => (
              <span class="row gap">
                <span class="mono" data-testid="licence-key-hint">…{hint()}</span>
                <Show when={can('admin')}>
                  <RevealKey licence={l()} />
                </Show>
              </span>
            )}
          </Show>
        </dd>
        <dt>Counts installs where</dt>
        <dd data-testid="licence-rule">{rule()}</dd>
        <Show when={l().notes}>
          <dt>Notes</dt>
          <dd class="pre-line">{l().notes}</dd>
        </Show>
      </dl>
      <h3 class="panel-subhead">Devices using a seat</h3>
      <Show when={!devices.error} fallback={<Empty>Could not load the devices: {describeFailure(devices.error)}</Empty>}>
        <Show when={settled(devices)} fallback={<Loading />}>
          {(items) => (
            <Show when={items().length} fallback={<Empty><span data-testid="licence-devices-empty">No device has it installed.</span></Empty>}>
              <table class="table" data-testid="licence-devices">
                <thead>
                  <tr>
                    <th>Device</th>
                    <th>Client</th>
                    <th>Installed</th>
                  </tr>
                </thead>
                <tbody>
                  <For each={items()}>
                    {(d) => (
                      <tr data-testid="licence-device-row">
                        <td>
                          <A href={`/devices/${d.deviceId}`} class="mono">
                            {d.hostname}
                          </A>
                        </td>
                        <td>{d.clientName}</td>
                        <td class="small">
                          {d.software} <span class="mono muted">{d.version}</span>
                        </td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </Show>
          )}
        </Show>
      </Show>
    </section>
  );
}
