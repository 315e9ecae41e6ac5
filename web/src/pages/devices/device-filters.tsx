import { For, Show, type JSX } from 'solid-js';
import { NO_FILTER, type DeviceFilter, type FilterOptions } from './device-query';

/**
 * The filter bar under the search box; every choice but the group comes from the loaded
 * devices (groups may be empty, and still worth choosing).
 */
export function DeviceFilters(props: {
  filter: DeviceFilter;
  options: FilterOptions;
  groups: { id: string; name: string }[];
  onChange: (patch: Partial<DeviceFilter>) => void;
}): JSX.Element {
  const sites = () => props.options.sites.filter((s) => !props.filter.clientId || s.clientId === props.filter.clientId);
  const active = () => Object.values(props.filter).some(Boolean);
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
      <Show when={props.groups.length || props.filter.groupId}>
        <select
          class="input select"
          aria-label="Group"
          data-testid="filter-group"
          onChange={(e) => props.onChange({ groupId: e.currentTarget.value })}
        >
          <option value="">Any group</option>
          {/* Options mark themselves: the menu loads after a group may already be chosen (from the URL). */}
          <For each={props.groups}>
            {(g) => (
              <option value={g.id} selected={g.id === props.filter.groupId}>
                {g.name}
              </option>
            )}
          </For>
        </select>
      </Show>
      <Show when={active()}>
        <button type="button" class="btn btn-ghost" onClick={() => props.onChange(NO_FILTER)}>
          Clear
        </button>
      </Show>
    </>
  );
}
