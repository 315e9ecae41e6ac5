import { A } from '@solidjs/router';
import { For, Show, type JSX } from 'solid-js';
import { formatBytes } from '../../lib/format';
import { StatusDot } from '../../components/status-dot';
import type { FleetSearchRow } from './search-data';

export type ResultRow = FleetSearchRow & { id: string };

const os = (r: FleetSearchRow) => [r.osName, r.osVersion].filter(Boolean).join(' ');
const hardware = (r: FleetSearchRow) => [r.manufacturer, r.model].filter(Boolean).join(' ');

/** The devices a fleet search found; every value but the counts is agent or user text. */
export function SearchResults(props: {
  rows: ResultRow[];
  cursor: number;
  showMatched: boolean;
  bodyRef: (el: HTMLTableSectionElement) => void;
  onPick: (index: number) => void;
}): JSX.Element {
  return (
    <table class="table table-click" data-testid="search-results">
      <thead>
        <tr>
          <th>Device</th>
          <th>Client</th>
          <th>OS</th>
          <th>Hardware</th>
          <th class="num">RAM</th>
          <Show when={props.showMatched}>
            <th>Matched software</th>
          </Show>
        </tr>
      </thead>
      <tbody ref={props.bodyRef}>
        <For each={props.rows}>
          {(r, i) => (
            <tr data-testid="search-result" data-index={i()} classList={{ 'is-cursor': props.cursor === i() }} onClick={() => props.onPick(i())}>
              <td>
                <div class="row gap">
                  <StatusDot status={r.status} />
                  <A href={`/devices/${r.deviceId}/inventory`} class="cell-strong" data-testid="search-result-host" onClick={(e) => e.stopPropagation()}>
                    {r.displayName || r.hostname}
                  </A>
                  <Show when={r.displayName}>
                    <span class="muted mono small">{r.hostname}</span>
                  </Show>
                </div>
              </td>
              <td>{r.clientName}</td>
              <td>{os(r)}</td>
              <td>{hardware(r)}</td>
              <td class="num">{r.ramBytes === null ? '' : formatBytes(r.ramBytes)}</td>
              <Show when={props.showMatched}>
                <td data-testid="search-result-matched">
                  <Show when={r.matched}>
                    {(m) => (
                      <>
                        {m().name} <span class="mono muted">{m().version}</span>
                      </>
                    )}
                  </Show>
                </td>
              </Show>
            </tr>
          )}
        </For>
      </tbody>
    </table>
  );
}
