import { A, useNavigate, useSearchParams } from '@solidjs/router';
import { createVirtualizer } from '@tanstack/solid-virtual';
import { createEffect, createMemo, createSignal, For, Match, on, onCleanup, onMount, Switch, type JSX } from 'solid-js';
import { allDevicesRaw, devicesLoadError, devicesLoaded, devicesLoading, loadDevices } from '../../state/devices';
import { Empty, Loading } from '../../components/feedback';
import { DeviceHeader } from './device-header';
import { DeviceRow } from './device-row';
import { DeviceFilters } from './device-filters';
import { filterOptions, formatSort, parseSort, queryDevices, type DeviceFilter, type SortKey } from './device-query';
import { createGroupFilter } from './group-filter';
import { isEditable } from '../../lib/keys';
import { RunOnFilter } from '../jobs/run-on-filter';

const ROW_HEIGHT = 32;

type Params = { q?: string; client?: string; site?: string; status?: string; tag?: string; group?: string; sort?: string };

export function DevicesPage(): JSX.Element {
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams<Params>();
  // Local copies: typing must not wait on a router navigation per keystroke.
  const [filter, setFilter] = createSignal<DeviceFilter>({
    q: params.q ?? '',
    clientId: params.client ?? '',
    siteId: params.site ?? '',
    status: params.status === 'online' || params.status === 'offline' ? params.status : '',
    tag: params.tag ?? '',
    groupId: params.group ?? '',
  });
  const [sort, setSort] = createSignal(parseSort(params.sort));
  const [selected, setSelected] = createSignal(0);

  let urlTimer: ReturnType<typeof setTimeout> | undefined;
  const writeUrl = () => {
    urlTimer = undefined;
    const f = filter();
    const s = sort();
    setParams(
      { q: f.q || null, client: f.clientId || null, site: f.siteId || null, status: f.status || null, tag: f.tag || null, group: f.groupId || null, sort: s.key === 'hostname' && !s.desc ? null : formatSort(s) },
      { replace: true },
    );
  };
  createEffect(
    on([filter, sort], () => {
      clearTimeout(urlTimer);
      urlTimer = setTimeout(writeUrl, 300);
    }, { defer: true }),
  );
  onCleanup(() => clearTimeout(urlTimer));

  const all = createMemo(allDevicesRaw);
  const group = createGroupFilter(() => filter().groupId);
  const visible = createMemo(() => queryDevices(all(), filter(), sort(), group.memberIds()));
  const options = createMemo(() => filterOptions(all()));
  createEffect(on(visible, (list) => setSelected((i) => Math.min(i, Math.max(0, list.length - 1))), { defer: true }));

  let scroller!: HTMLDivElement;
  let search!: HTMLInputElement;
  const virtualizer = createVirtualizer({
    get count() {
      return visible().length;
    },
    getScrollElement: () => scroller,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });

  const open = (id: string) => {
    if (urlTimer === undefined) return navigate(`/devices/${id}`);
    // A pending URL write must land on the list's history entry, not the device page's.
    // Navigations within one routing transition merge into a single entry, so the device
    // page waits for the next task, by which the query-only write has settled.
    clearTimeout(urlTimer);
    writeUrl();
    setTimeout(() => navigate(`/devices/${id}`));
  };
  const move = (to: number) => {
    const last = visible().length - 1;
    if (last < 0) return;
    const next = Math.max(0, Math.min(last, to));
    setSelected(next);
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };
  const changeSort = (key: SortKey) => setSort((s) => ({ key, desc: s.key === key ? !s.desc : key === 'lastSeen' }));
  const patchFilter = (patch: Partial<DeviceFilter>) => setFilter((f) => ({ ...f, ...patch }));

  onMount(() => {
    const pageRows = () => Math.max(1, Math.floor(scroller.clientHeight / ROW_HEIGHT) - 1);
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const inSearch = e.target === search;
      if (isEditable(e.target) && !inSearch) return;
      const key = e.key;
      if (key === '/' && !inSearch) {
        e.preventDefault();
        search.focus();
        search.select();
      } else if (key === 'ArrowDown' || (key === 'j' && !inSearch)) {
        e.preventDefault();
        move(selected() + 1);
      } else if (key === 'ArrowUp' || (key === 'k' && !inSearch)) {
        e.preventDefault();
        move(selected() - 1);
      } else if (key === 'PageDown') {
        e.preventDefault();
        move(selected() + pageRows());
      } else if (key === 'PageUp') {
        e.preventDefault();
        move(selected() - pageRows());
      } else if ((key === 'Home' || key === 'End') && !inSearch) {
        e.preventDefault();
        move(key === 'Home' ? 0 : visible().length - 1);
      } else if (key === 'Enter') {
        const d = visible()[selected()];
        if (d) {
          e.preventDefault();
          open(d.id);
        }
      } else if (key === 'Escape' && inSearch) {
        if (filter().q) patchFilter({ q: '' });
        else search.blur();
      }
    };
    document.addEventListener('keydown', onKey);
    onCleanup(() => document.removeEventListener('keydown', onKey));
  });

  return (
    <div class="page page-fill">
      <div class="page-head">
        <h1>Devices</h1>
        <span class="muted" data-testid="device-count">
          {visible().length.toLocaleString()} of {all().length.toLocaleString()}
          {devicesLoading() || group.loading() ? ' · loading…' : ''}
        </span>
        <span class="spacer" />
        <button
          type="button"
          class="btn"
          onClick={() => {
            void loadDevices();
            group.refresh();
          }}
          disabled={devicesLoading()}
        >
          Refresh
        </button>
        <RunOnFilter filter={filter()} count={visible().length} />
      </div>
      <div class="toolbar">
        <input
          ref={search}
          class="input search"
          type="search"
          placeholder="Search hostname, name or IP   ( / )"
          aria-label="Search devices"
          data-testid="device-search"
          value={filter().q}
          onInput={(e) => patchFilter({ q: e.currentTarget.value })}
        />
        <DeviceFilters filter={filter()} options={options()} groups={group.groups()} onChange={patchFilter} />
      </div>
      <div class="grid" role="grid" aria-rowcount={visible().length} aria-label="Devices">
        <DeviceHeader sort={sort()} onSort={changeSort} />
        <div class="grid-body" ref={scroller} tabIndex={-1}>
          <Switch>
            <Match when={devicesLoadError() && !all().length}>
              <Empty>Could not load devices: {devicesLoadError()}</Empty>
            </Match>
            <Match when={!devicesLoaded() && !all().length}>
              <Loading label="Loading devices…" />
            </Match>
            <Match when={!all().length}>
              <Empty>
                No devices yet. <A href="/enrollment">Create an enrollment key</A> and run the install command on a machine.
              </Empty>
            </Match>
            <Match when={!visible().length && group.loading()}>
              <Loading label="Loading the group's devices…" />
            </Match>
            <Match when={!visible().length}>
              <Empty>No devices match these filters.</Empty>
            </Match>
          </Switch>
          <div class="grid-canvas" style={{ height: `${virtualizer.getTotalSize()}px` }}>
            <For each={virtualizer.getVirtualItems()}>
              {(item) => (
                <DeviceRow
                  id={visible()[item.index]?.id ?? ''}
                  index={item.index}
                  top={item.start}
                  selected={selected() === item.index}
                  onOpen={open}
                  onSelect={setSelected}
                />
              )}
            </For>
          </div>
        </div>
      </div>
      <div class="hint muted">
        <kbd>/</kbd> search · <kbd>j</kbd>/<kbd>k</kbd> or arrows move · <kbd>Enter</kbd> opens
      </div>
    </div>
  );
}
