import { A } from '@solidjs/router';
import { createMemo, createResource, For, Show, type JSX } from 'solid-js';
import { api, call, type Data } from '../../api/client';
import { describeFailure } from '../../api/errors';
import { now } from '../../lib/clock';
import { formatDateTime, relativeTime } from '../../lib/format';
import { settled } from '../../lib/resource';
import { Empty, Loading } from '../../components/feedback';
import { SeverityBadge } from '../../components/severity';
import { CHECK_TYPE_LABEL, describeCheck } from '../check-sets/check-describe';
import type { DeviceLive } from './device-live';

type CheckView = Data<(typeof api.devices)[':id']['checks']['$get']>['checks'][number];
type CheckStatus = NonNullable<CheckView['state']>['status'];

const TONE: Record<CheckStatus, string> = { ok: 'ok', pending: 'warn', breach: 'bad', unknown: 'info' };
// Breaches first: the tab answers "what is wrong here" before "what is watched".
const ORDER: Record<CheckStatus | 'none', number> = { breach: 0, pending: 1, unknown: 2, none: 3, ok: 4 };

/** The checks this device runs after merging its check sets, each with its current state. */
export default function ChecksTab(props: { deviceId: string; live: DeviceLive }): JSX.Element {
  const [view, { refetch }] = createResource(
    () => props.deviceId,
    (id) => call(api.devices[':id'].checks.$get({ param: { id } })),
  );
  let timer: ReturnType<typeof setTimeout> | undefined;
  props.live.onCheck(() => {
    clearTimeout(timer);
    timer = setTimeout(() => void refetch(), 300);
  });
  // Read twice below: sort once per refetch, not once per reader.
  const sorted = createMemo(() =>
    [...(settled(view)?.checks ?? [])].sort((a, b) => ORDER[a.state?.status ?? 'none'] - ORDER[b.state?.status ?? 'none'] || a.name.localeCompare(b.name)),
  );

  return (
    <section class="panel">
      <div class="panel-head">
        <h2>Effective checks</h2>
        <Show when={settled(view)}>
          {(v) => (
            <span class="muted small">
              {v().checks.length} checks · {v().compiledAt ? `compiled ${formatDateTime(v().compiledAt)}` : 'not pushed to the device yet'}
            </span>
          )}
        </Show>
        <span class="spacer" />
        <button type="button" class="btn btn-small" onClick={() => void refetch()} disabled={view.loading}>
          Refresh
        </button>
      </div>
      <Show when={!view.error} fallback={<Empty>Could not load checks: {describeFailure(view.error)}</Empty>}>
        <Show when={settled(view)} fallback={<Loading />}>
          <Show
            when={sorted().length}
            fallback={
              <Empty>
                No checks apply to this device. <A href="/check-sets">Assign a check set</A> to it, its site, client, a group, a tag or the whole tenant.
              </Empty>
            }
          >
            <table class="table" data-testid="device-checks">
              <thead>
                <tr>
                  <th>State</th>
                  <th>Check</th>
                  <th>Severity</th>
                  <th class="col-wide">Latest result</th>
                  <th>Since</th>
                  <th>From set</th>
                </tr>
              </thead>
              <tbody>
                <For each={sorted()}>
                  {(c: CheckView) => (
                    <tr classList={{ 'is-dim': !c.enabled }} data-testid="device-check-row">
                      <td class="nowrap">
                        <Show when={c.state} fallback={<span class="badge">not evaluated</span>}>
                          {(s) => <span class={`badge badge-${TONE[s().status]}`} data-testid="check-state">{s().status}</span>}
                        </Show>
                        <Show when={!c.enabled}> <span class="badge">disabled</span></Show>
                      </td>
                      <td>
                        <div>{c.name}</div>
                        <div class="muted small">
                          {CHECK_TYPE_LABEL[c.type]} · {describeCheck(c)}
                        </div>
                      </td>
                      <td>
                        <SeverityBadge severity={c.severity} />
                      </td>
                      <td>
                        <div class="pre-line">{c.state?.message ?? '—'}</div>
                        <Show when={c.state?.output}>
                          {(out) => (
                            <details class="check-output">
                              <summary>Output</summary>
                              <pre class="output">{out()}</pre>
                            </details>
                          )}
                        </Show>
                      </td>
                      <td class="nowrap" title={formatDateTime(c.state?.since)}>
                        {c.state ? relativeTime(c.state.since, now()) : '—'}
                      </td>
                      <td class="nowrap">
                        <A href={`/check-sets/${c.setId}`}>{c.setName}</A>
                      </td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </Show>
        </Show>
      </Show>
    </section>
  );
}
