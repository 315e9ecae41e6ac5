import { createEffect, createResource, createSignal, For, on, Show, type JSX } from 'solid-js';
import { api, call } from '../../api/client';
import { describeFailure } from '../../api/errors';
import { now } from '../../lib/clock';
import { formatDateTime, relativeTime } from '../../lib/format';
import { settled } from '../../lib/resource';
import { can } from '../../state/session';
import { showToast, toastError } from '../../state/toasts';
import { Empty, Loading } from '../../components/feedback';
import { SCOPE_LABEL } from '../../components/scope-picker';
import { describeSchedule } from './schedule';
import { WindowForm, type MaintenanceWindow } from './window-form';

const PAGE = 100;

/** Maintenance windows: when alerts stay quiet for planned work. */
export default function MaintenancePage(): JSX.Element {
  const [q, setQ] = createSignal('');
  const [query, setQuery] = createSignal('');
  const [activeOnly, setActiveOnly] = createSignal(false);
  let timer: ReturnType<typeof setTimeout> | undefined;
  createEffect(on(q, (v) => (clearTimeout(timer), (timer = setTimeout(() => setQuery(v.trim()), 300))), { defer: true }));

  const [items, setItems] = createSignal<MaintenanceWindow[]>([]);
  const [cursor, setCursor] = createSignal<string | null>(null);
  const fetchPage = (c?: string) =>
    call(api['maintenance-windows'].$get({ query: { limit: String(PAGE), ...(query() ? { q: query() } : {}), ...(activeOnly() ? { activeNow: 'true' } : {}), ...(c ? { cursor: c } : {}) } }));
  const [list, { refetch }] = createResource(
    () => ({ q: query(), active: activeOnly() }),
    async () => {
      const page = await fetchPage();
      setItems(page.items);
      setCursor(page.nextCursor);
      return true;
    },
  );
  const [more, setMore] = createSignal(false);
  const loadMore = async () => {
    setMore(true);
    try {
      const page = await fetchPage(cursor() ?? undefined);
      setItems((l) => [...l, ...page.items]);
      setCursor(page.nextCursor);
    } catch (err) {
      toastError(err);
    } finally {
      setMore(false);
    }
  };

  const [editing, setEditing] = createSignal<MaintenanceWindow | 'new' | null>(null);
  const saved = (w: MaintenanceWindow) => {
    showToast(`${editing() === 'new' ? 'Created' : 'Saved'} ${w.name}${w.activeNow ? ': in force now' : ''}`);
    setEditing(null);
    void refetch();
  };
  const toggle = async (w: MaintenanceWindow) => {
    try {
      await call(api['maintenance-windows'][':id'].$patch({ param: { id: w.id }, json: { enabled: !w.enabled } }));
      void refetch();
    } catch (err) {
      toastError(err);
    }
  };
  const remove = async (w: MaintenanceWindow) => {
    if (!confirm(`Delete the maintenance window "${w.name}"?`)) return;
    try {
      await call(api['maintenance-windows'][':id'].$delete({ param: { id: w.id } }));
      showToast(`Deleted ${w.name}`);
      void refetch();
    } catch (err) {
      toastError(err);
    }
  };

  const state = (w: MaintenanceWindow) => {
    if (!w.enabled) return <span class="badge">disabled</span>;
    if (w.activeNow) return <span class="badge badge-warn" data-testid="window-active">active now</span>;
    if (w.nextStart) return <span class="muted" title={formatDateTime(w.nextStart)}>next {relativeTime(w.nextStart, now())}</span>;
    return <span class="muted">ended</span>;
  };

  return (
    <div class="page">
      <div class="page-head">
        <h1>Maintenance windows</h1>
        <span class="muted">Alerts opened inside a window are kept but notify no one</span>
        <span class="spacer" />
        <Show when={can('admin') && editing() === null}>
          <button type="button" class="btn btn-primary" data-testid="new-window" onClick={() => setEditing('new')}>
            New window
          </button>
        </Show>
      </div>
      <Show when={editing()} keyed>
        {(e) => (
          <section class="panel">
            <div class="panel-head">
              <h2>{e === 'new' ? 'New window' : `Edit ${e.name}`}</h2>
            </div>
            <WindowForm initial={e === 'new' ? undefined : e} onSaved={saved} onCancel={() => setEditing(null)} />
          </section>
        )}
      </Show>
      <section class="panel">
        <div class="toolbar">
          <input class="input search" type="search" placeholder="Search names" aria-label="Search maintenance windows" value={q()} onInput={(e) => setQ(e.currentTarget.value)} />
          <label class="check">
            <input type="checkbox" checked={activeOnly()} onChange={(e) => setActiveOnly(e.currentTarget.checked)} /> In force now only
          </label>
        </div>
        <Show when={!list.error} fallback={<Empty>Could not load windows: {describeFailure(list.error)}</Empty>}>
          <Show when={settled(list)} fallback={<Loading />}>
            <Show when={items().length} fallback={<Empty>{query() || activeOnly() ? 'No window matches.' : 'No maintenance windows yet.'}</Empty>}>
              <table class="table" classList={{ 'is-loading': list.loading }} data-testid="windows-table">
                <thead>
                  <tr>
                    <th>Name</th>
                    <th>Applies to</th>
                    <th class="col-wide">Schedule</th>
                    <th>State</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  <For each={items()}>
                    {(w) => (
                      <tr classList={{ 'is-dim': !w.enabled }} data-testid="window-row">
                        <td>{w.name}</td>
                        <td class="nowrap">
                          <span class="badge">{SCOPE_LABEL[w.scopeType]}</span> {w.scopeName ?? w.scopeId}
                        </td>
                        <td>{describeSchedule(w.schedule)}</td>
                        <td class="nowrap">{state(w)}</td>
                        <td class="actions">
                          <Show when={can('admin')}>
                            <button type="button" class="btn-link" onClick={() => setEditing(w)} aria-label={`Edit ${w.name}`}>Edit</button>
                            <button type="button" class="btn-link" onClick={() => void toggle(w)} aria-label={`${w.enabled ? 'Disable' : 'Enable'} ${w.name}`}>{w.enabled ? 'Disable' : 'Enable'}</button>
                            <button type="button" class="btn-link danger" onClick={() => void remove(w)} aria-label={`Delete ${w.name}`}>Delete</button>
                          </Show>
                        </td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
              <Show when={cursor()}>
                <button type="button" class="btn" disabled={more()} onClick={() => void loadMore()}>
                  {more() ? 'Loading…' : 'Load more'}
                </button>
              </Show>
            </Show>
          </Show>
        </Show>
      </section>
    </div>
  );
}
