import { createMemo, createSignal, For, onMount, Show, type JSX } from 'solid-js';
import { api, call, type Data } from '../../api/client';
import { describeFailure, toFailure, type ApiFailure } from '../../api/errors';
import { formatDateTimeSeconds } from '../../lib/format';
import { Empty, Loading } from '../../components/feedback';

const PAGE = 100;
type EventItem = Data<(typeof api.devices)[':id']['events']['$get']>['items'][number];

/**
 * Errors and worse from the device's event log, newest first, paged back with `before`.
 * Sources and messages come from the machine: text nodes only.
 */
export default function EventsTab(props: { deviceId: string }): JSX.Element {
  const [items, setItems] = createSignal<EventItem[]>([]);
  const [more, setMore] = createSignal(false);
  const [loading, setLoading] = createSignal(false);
  const [loaded, setLoaded] = createSignal(false);
  const [failure, setFailure] = createSignal<ApiFailure | null>(null);
  const [level, setLevel] = createSignal<'' | 'critical'>('');

  const load = async (older: boolean) => {
    setLoading(true);
    setFailure(null);
    try {
      const list = items();
      const before = older && list.length ? String(Math.min(...list.map((e) => e.id))) : undefined;
      const res = await call(api.devices[':id'].events.$get({ param: { id: props.deviceId }, query: { limit: String(PAGE), ...(before ? { before } : {}) } }));
      setItems(older ? [...list, ...res.items] : res.items);
      setMore(res.items.length === PAGE);
      setLoaded(true);
    } catch (err) {
      setFailure(toFailure(err));
    } finally {
      setLoading(false);
    }
  };
  onMount(() => void load(false));
  const shown = createMemo(() => (level() ? items().filter((e) => e.level === level()) : items()));

  return (
    <section class="panel">
      <div class="panel-head">
        <h2>Event log</h2>
        <span class="muted small">errors and critical entries the agent collected (the latest 1,000 are kept)</span>
        <span class="spacer" />
        <select class="input select" aria-label="Level" value={level()} onChange={(e) => setLevel(e.currentTarget.value as '' | 'critical')}>
          <option value="">Error and critical</option>
          <option value="critical">Critical only</option>
        </select>
        <button type="button" class="btn btn-small" onClick={() => void load(false)} disabled={loading()}>
          Refresh
        </button>
      </div>
      <Show when={failure()}>{(f) => <div class="form-error">Could not load events: {describeFailure(f())}</div>}</Show>
      <Show when={loaded()} fallback={<Show when={!failure()}><Loading /></Show>}>
        <Show when={shown().length} fallback={<Empty>No {level() || 'error or critical'} entries reported.</Empty>}>
          <table class="table" data-testid="device-events">
            <thead>
              <tr>
                <th>Time</th>
                <th>Level</th>
                <th>Source</th>
                <th class="num">Id</th>
                <th class="col-wide">Message</th>
              </tr>
            </thead>
            <tbody>
              <For each={shown()}>
                {(e) => (
                  <tr>
                    <td class="nowrap">{formatDateTimeSeconds(e.ts)}</td>
                    <td>
                      <span class={`badge badge-${e.level === 'critical' ? 'bad' : 'warn'}`}>{e.level}</span>
                    </td>
                    <td class="mono small">{e.source}</td>
                    <td class="num mono">{e.eventId ?? ''}</td>
                    <td class="pre-line event-message">{e.message}</td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </Show>
        <Show when={more()}>
          <button type="button" class="btn" onClick={() => void load(true)} disabled={loading()}>
            {loading() ? 'Loading…' : 'Load older entries'}
          </button>
        </Show>
      </Show>
    </section>
  );
}
