import { A } from '@solidjs/router';
import { For, Show, type JSX } from 'solid-js';
import type { ComplianceReport } from '../../state/patches';

type Row = ComplianceReport['total'];

const tone = (pct: number | null) => (pct === null ? 'info' : pct >= 95 ? 'ok' : pct >= 80 ? 'warn' : 'bad');

/** The share fully patched as a bar with its number: readable at a glance and as text. */
function PercentBar(props: { percent: number | null }): JSX.Element {
  return (
    <span class={`bar compliance-bar bar-${tone(props.percent)}`}>
      <span class="bar-track" aria-hidden="true">
        <span class="bar-fill" style={{ width: `${Math.max(0, Math.min(100, props.percent ?? 0))}%` }} />
      </span>
      <span class="bar-value" data-testid="compliance-percent">
        {props.percent === null ? '—' : `${Math.round(props.percent * 10) / 10}%`}
      </span>
    </span>
  );
}

function Cells(props: { row: Row }): JSX.Element {
  return (
    <>
      <td class="num">{props.row.devices.toLocaleString()}</td>
      <td class="num">
        {props.row.scanned.toLocaleString()}
        <Show when={props.row.devices > props.row.scanned}>
          <span class="muted small" title="Devices never scanned count nowhere else">
            {' '}
            ({props.row.devices - props.row.scanned} not yet)
          </span>
        </Show>
      </td>
      <td class="compliance-cell">
        <PercentBar percent={props.row.percent} />
      </td>
      <td class="num" classList={{ 'is-bad-count': props.row.missingCritical > 0 }} data-testid="compliance-critical">
        {props.row.missingCritical.toLocaleString()}
      </td>
      <td class="num" data-testid="compliance-missing">
        {props.row.missingTotal.toLocaleString()}
      </td>
    </>
  );
}

/** Per client: devices, scanned, share fully patched, devices missing a critical update, missing updates; totals last. */
export function ComplianceTable(props: { report: ComplianceReport }): JSX.Element {
  return (
    <table class="table" data-testid="compliance-table">
      <thead>
        <tr>
          <th class="col-wide">Client</th>
          <th class="num">Devices</th>
          <th class="num">Scanned</th>
          <th>Fully patched</th>
          <th class="num">Missing critical</th>
          <th class="num">Missing updates</th>
        </tr>
      </thead>
      <tbody>
        <For each={props.report.clients}>
          {(c) => (
            <tr data-testid="compliance-row" data-client-id={c.clientId}>
              <td>
                <A href={`/patches?client=${c.clientId}`} title="Its missing updates">
                  {c.clientName}
                </A>
              </td>
              <Cells row={c} />
            </tr>
          )}
        </For>
      </tbody>
      <tfoot>
        <tr class="compliance-total" data-testid="compliance-total">
          <th scope="row">All clients</th>
          <Cells row={props.report.total} />
        </tr>
      </tfoot>
    </table>
  );
}
