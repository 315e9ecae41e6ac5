import { A } from '@solidjs/router';
import { createMemo, For, type JSX } from 'solid-js';
import { ChangeKindBadge, ChangeValues } from '../../components/change-parts';
import { formatTime, groupByDay } from '../device/changes-kinds';
import type { ChangeRecord } from './fleet-changes-data';

/**
 * The fleet's changes as one table with a heading row per local day. Rows keep their list
 * index (`data-index`) so the keyboard cursor and its scrolling follow the list, not the days.
 * Hostnames, subjects, sources and values are agent text.
 */
export function FleetChangesTable(props: {
  rows: ChangeRecord[];
  cursor: number;
  bodyRef: (el: HTMLTableSectionElement) => void;
  open: (c: ChangeRecord) => void;
  href: (c: ChangeRecord) => string;
}): JSX.Element {
  const days = createMemo(() => groupByDay(props.rows));
  const indexOf = createMemo(() => new Map(props.rows.map((r, i) => [r.id, i])));

  return (
    <table class="table table-click" data-testid="fleet-changes">
      <thead>
        <tr>
          <th>Time</th>
          <th>Device</th>
          <th>Kind</th>
          <th class="col-wide">What</th>
          <th>Source</th>
          <th>From → to</th>
        </tr>
      </thead>
      <tbody ref={props.bodyRef}>
        <For each={days()}>
          {(d) => (
            <>
              <tr class="change-day-row" data-testid="fleet-changes-day">
                <th colSpan={6} class="change-day-head">
                  {d.day}
                </th>
              </tr>
              <For each={d.rows}>
                {(c) => {
                  const i = () => indexOf().get(c.id) ?? -1;
                  return (
                    <tr data-testid="fleet-change-row" data-index={i()} data-kind={c.kind} classList={{ 'is-cursor': props.cursor === i() }} onClick={() => props.open(c)}>
                      <td class="nowrap muted">{formatTime(c.at)}</td>
                      <td>
                        <A href={props.href(c)} class="mono" data-testid="fleet-change-host" onClick={(e) => e.stopPropagation()}>
                          {c.hostname}
                        </A>
                      </td>
                      <td>
                        <ChangeKindBadge kind={c.kind} />
                      </td>
                      <td class="cell-strong ellipsis" data-testid="change-subject">
                        {c.subject}
                      </td>
                      <td class="muted small">{c.source ?? ''}</td>
                      <td>
                        <ChangeValues change={c} class="mono small" />
                      </td>
                    </tr>
                  );
                }}
              </For>
            </>
          )}
        </For>
      </tbody>
    </table>
  );
}
