import { For, Show, type JSX } from 'solid-js';
import type { DeviceFilter, FilterOptions } from './device-query';

/** The filter bar under the search box; every choice comes from the loaded devices. */
export function DeviceFilters(props: {
  filter: DeviceFilter;
  options: FilterOptions;
  onChange: (patch: Partial<DeviceFilter>) => void;
}): JSX.Element {
  const sites = () => props.options.sites.filter((s) => !props.filter.clientId || s.clientId === props.filter.clientId);
  const active = () => !!(props.filter.clientId || props.filter.siteId || props.filter.status || props.filter.tag || props.filter.q);
  return (
    <>
      <select
        class="input select"
        aria-label="Client"
        data-testid="filter-client"
        value={props.filter.clientId}
        onChange={(e) => props.onChange({ clientId: e.currentTarget.value, siteId: '' })}
      >
        <option value="">All clients</option>
        <For each={props.options.clients}>{(c) => <option value={c.id}>{c.name}</option>}</For>
      </select>
      <select
        class="input select"
        aria-label="Site"
        data-testid="filter-site"
        value={props.filter.siteId}
        onChange={(e) => props.onChange({ siteId: e.currentTarget.value })}
      >
        <option value="">All sites</option>
        <For each={sites()}>{(s) => <option value={s.id}>{s.name}</option>}</For>
      </select>
      <select
        class="input select"
        aria-label="Status"
        data-testid="filter-status"
        value={props.filter.status}
        onChange={(e) => props.onChange({ status: e.currentTarget.value as DeviceFilter['status'] })}
      >
        <option value="">Any status</option>
        <option value="online">Online</option>
        <option value="offline">Offline</option>
      </select>
      <select
        class="input select"
        aria-label="Tag"
        data-testid="filter-tag"
        value={props.filter.tag}
        onChange={(e) => props.onChange({ tag: e.currentTarget.value })}
      >
        <option value="">Any tag</option>
        <For each={props.options.tags}>{(t) => <option value={t}>{t}</option>}</For>
      </select>
      <Show when={active()}>
        <button type="button" class="btn btn-ghost" onClick={() => props.onChange({ q: '', clientId: '', siteId: '', status: '', tag: '' })}>
          Clear
        </button>
      </Show>
    </>
  );
}
