import { createMemo, createSignal, For, Show, type JSX } from 'solid-js';
import type { ProcessInfo } from '../../../../protocol/device-state';
import { describeFailure } from '../../api/errors';
import { createAction } from '../../lib/action';
import { now } from '../../lib/clock';
import { formatBytes, relativeTime } from '../../lib/format';
import { can } from '../../state/session';
import { Dialog } from '../../components/dialog';
import { Empty, FormError, Loading } from '../../components/feedback';
import { createDeviceSection } from './device-section';
import { describeCommand, sendDeviceCommand } from './device-command';
import { createTrackerSlot } from './command-tracker';
import { CommandPanel } from './command-panel';
import { ProcessListResult } from '../../../../protocol/command';
import { parseResult, ProcessTable } from './command-data';
import type { DeviceLive } from './device-live';

type SortKey = 'cpu' | 'mem' | 'name' | 'pid';
const SORTS: Record<SortKey, (a: ProcessInfo, b: ProcessInfo) => number> = {
  cpu: (a, b) => b.cpuPercent - a.cpuPercent,
  mem: (a, b) => b.memBytes - a.memBytes,
  name: (a, b) => a.name.localeCompare(b.name),
  pid: (a, b) => a.pid - b.pid,
};

/** The top processes the agent last reported, and Kill behind a confirmation naming what dies. */
export default function ProcessesTab(props: { deviceId: string; live: DeviceLive; onCommand: () => void }): JSX.Element {
  const section = createDeviceSection(props.deviceId, 'processes', props.live);
  const [q, setQ] = createSignal('');
  const [sort, setSort] = createSignal<SortKey>('cpu');
  const [victim, setVictim] = createSignal<ProcessInfo | null>(null);
  const [force, setForce] = createSignal(false);
  const [result, setResult] = createTrackerSlot();
  const [title, setTitle] = createSignal<string | null>(null);
  // "Refresh from device": the agent's full list right now, not the last reported top.
  const [listing, setListing] = createTrackerSlot();
  const fresh = createMemo(() => {
    const c = listing();
    return c?.isFinal() && c.status() === 'succeeded' ? parseResult(ProcessListResult, c.output()) : null;
  });
  const refresh = createAction(async () => {
    setListing(await sendDeviceCommand(props.deviceId, props.live, { type: 'process_list', params: {} }, props.onCommand));
    props.onCommand();
  });

  const rows = createMemo(() => {
    const needle = q().trim().toLowerCase();
    return (section.data() ?? [])
      .filter((p) => !needle || p.name.toLowerCase().includes(needle) || String(p.pid) === needle || (p.user ?? '').toLowerCase().includes(needle))
      .sort(SORTS[sort()]);
  });

  const kill = createAction(async (p: ProcessInfo) => {
    const params = { pid: p.pid, name: p.name, force: force() };
    const cmd = await sendDeviceCommand(props.deviceId, props.live, { type: 'kill_process', params }, () => {
      props.onCommand();
      section.refetch();
    });
    setTitle(describeCommand('kill_process', params));
    setResult(cmd);
    props.onCommand();
    setVictim(null);
  });
  const ask = (p: ProcessInfo) => {
    kill.clear();
    setForce(false);
    setVictim(p);
  };

  const header = (key: SortKey, label: string, num = false) => (
    <th class={num ? 'num' : undefined} aria-sort={sort() === key ? (key === 'name' || key === 'pid' ? 'ascending' : 'descending') : undefined}>
      <button type="button" class="sort-button" onClick={() => setSort(key)}>
        {label}
        <span class="sort-mark" aria-hidden="true">{sort() === key ? (key === 'name' || key === 'pid' ? '▲' : '▼') : ''}</span>
      </button>
    </th>
  );

  return (
    <div class="stack">
      <CommandPanel title={title()} command={result()} />
      <FormError failure={refresh.failure()} />
      <Show when={listing()}>
        {(c) => (
          <section class="panel" data-testid="fresh-processes">
            <div class="panel-head">
              <h2>From the device</h2>
              <span class="badge badge-info" data-testid="fresh-status">
                {c().status()}
              </span>
              <Show when={c().isFinal() && c().status() !== 'succeeded'}>
                <span class="field-error">{c().error() ?? c().output().slice(0, 300)}</span>
              </Show>
              <span class="spacer" />
              <button type="button" class="btn btn-small btn-ghost" onClick={() => setListing(null)}>
                Close
              </button>
            </div>
            <Show when={fresh()}>
              {(r) => (
                <ProcessTable
                  result={r()}
                  action={(p) => (
                    <Show when={can('technician')}>
                      <button
                        type="button"
                        class="btn btn-small danger-btn"
                        aria-label={`End ${p.name} (pid ${p.pid})`}
                        onClick={() => ask({ pid: p.pid, name: p.name, user: p.user ?? undefined, cpuPercent: p.cpuPercent ?? 0, memBytes: p.memBytes ?? 0, command: p.command ?? undefined })}
                      >
                        End process
                      </button>
                    </Show>
                  )}
                />
              )}
            </Show>
          </section>
        )}
      </Show>
      <section class="panel">
        <div class="panel-head">
          <h2>Processes</h2>
          <Show when={section.at()}>{(at) => <span class="muted small">reported {relativeTime(at(), now())}</span>}</Show>
          <span class="spacer" />
          <Show when={can('technician')}>
            <button type="button" class="btn btn-small" data-testid="refresh-processes" disabled={refresh.pending()} onClick={() => void refresh.run()}>
              Refresh from device
            </button>
          </Show>
          <input class="input input-small" type="search" placeholder="Filter name, pid, user" aria-label="Filter processes" value={q()} onInput={(e) => setQ(e.currentTarget.value)} />
        </div>
        <Show when={!section.failure()} fallback={<Empty>Could not load processes: {describeFailure(section.failure())}</Empty>}>
          <Show when={section.loaded()} fallback={<Loading />}>
            <Show when={section.data()} fallback={<Empty>The agent has not reported its processes yet.</Empty>}>
              <Show when={rows().length} fallback={<Empty>No processes match.</Empty>}>
                <table class="table" data-testid="processes-table">
                  <thead>
                    <tr>
                      {header('name', 'Name')}
                      {header('pid', 'PID', true)}
                      <th>User</th>
                      {header('cpu', 'CPU', true)}
                      {header('mem', 'Memory', true)}
                      <th class="col-wide">Command</th>
                      <th />
                    </tr>
                  </thead>
                  <tbody>
                    <For each={rows()}>
                      {(p) => (
                        <tr data-testid="process-row">
                          <td class="mono">{p.name}</td>
                          <td class="num mono">{p.pid}</td>
                          <td>{p.user ?? ''}</td>
                          <td class="num">{p.cpuPercent.toFixed(1)} %</td>
                          <td class="num">{formatBytes(p.memBytes)}</td>
                          <td class="mono small ellipsis" title={p.command ?? ''}>{p.command ?? ''}</td>
                          <td class="actions">
                            <Show when={can('technician')}>
                              <button type="button" class="btn btn-small danger-btn" onClick={() => ask(p)} aria-label={`Kill ${p.name} (pid ${p.pid})`}>
                                Kill
                              </button>
                            </Show>
                          </td>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </Show>
            </Show>
          </Show>
        </Show>
      </section>
      <Dialog open={!!victim()} title="End process" onClose={() => setVictim(null)} testId="kill-dialog">
        <Show when={victim()}>
          {(p) => (
            <form
              class="form"
              onSubmit={(e) => {
                e.preventDefault();
                void kill.run(p());
              }}
            >
              <p>
                End <strong class="mono">{p().name}</strong> (pid <span class="mono">{p().pid}</span>
                {p().user ? `, user ${p().user}` : ''})? Unsaved work in it is lost.
              </p>
              <Show when={p().command}>{(cmd) => <pre class="code-block small">{cmd()}</pre>}</Show>
              <label class="check">
                <input type="checkbox" checked={force()} onChange={(e) => setForce(e.currentTarget.checked)} />
                Force (no chance to clean up)
              </label>
              <p class="muted small">The agent refuses if that pid now belongs to another program.</p>
              <FormError failure={kill.failure()} />
              <div class="row gap dialog-actions">
                <button type="submit" class="btn btn-primary danger-fill" data-testid="kill-confirm" disabled={kill.pending()}>
                  {kill.pending() ? 'Sending…' : `Kill ${p().name}`}
                </button>
                {/* Focus starts on the harmless choice: a stray Enter must not end a process. */}
                <button type="button" class="btn btn-ghost" onClick={() => setVictim(null)} ref={(el) => queueMicrotask(() => el.focus())}>
                  Cancel
                </button>
              </div>
            </form>
          )}
        </Show>
      </Dialog>
    </div>
  );
}
