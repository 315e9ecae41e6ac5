import { For, Show, type JSX } from 'solid-js';
import type { Client } from '../../state/directory';
import { SEVERITIES } from '../../components/severity';
import { VIEW_LABEL, VIEWS, type AlertFilter, type AlertView } from './alert-filter';

/** Status, severity and client menus; the search box lives with the page (it owns "/"). */
export function AlertFilters(props: { filter: AlertFilter; clients: Client[]; onChange: (patch: Partial<AlertFilter>) => void }): JSX.Element {
  return (
    <>
      <select
        class="input select"
        aria-label="Status"
        data-testid="alert-filter-status"
        value={props.filter.view}
        onChange={(e) => props.onChange({ view: e.currentTarget.value as AlertView })}
      >
        <For each={VIEWS}>{(v) => <option value={v}>{VIEW_LABEL[v]}</option>}</For>
      </select>
      <select
        class="input select"
        aria-label="Severity"
        data-testid="alert-filter-severity"
        value={props.filter.severity}
        onChange={(e) => props.onChange({ severity: e.currentTarget.value as AlertFilter['severity'] })}
      >
        <option value="">Any severity</option>
        <For each={SEVERITIES}>{(s) => <option value={s}>{s}</option>}</For>
      </select>
      <select
        class="input select"
        aria-label="Client"
        data-testid="alert-filter-client"
        onChange={(e) => props.onChange({ clientId: e.currentTarget.value })}
      >
        <option value="">All clients</option>
        {/* Options mark themselves: the clients load after a client may be chosen from the URL. */}
        <For each={props.clients}>
          {(c) => (
            <option value={c.id} selected={c.id === props.filter.clientId}>
              {c.name}
            </option>
          )}
        </For>
      </select>
      <Show when={props.filter.deviceId}>
        <button type="button" class="chip chip-button" onClick={() => props.onChange({ deviceId: '' })} aria-label="Stop filtering by device">
          one device ×
        </button>
      </Show>
    </>
  );
}
