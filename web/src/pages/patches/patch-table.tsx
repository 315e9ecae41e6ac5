import { For, Show, type JSX } from 'solid-js';
import { now } from '../../lib/clock';
import { formatDateTime, relativeTime } from '../../lib/format';
import type { Selection } from '../../lib/selection';
import type { FleetPatchRow } from '../../state/patches';
import { ApprovalBadge, PatchKindCells } from './patch-badges';

/**
 * The fleet's missing updates, one row per update. Names, titles and advisories come from
 * agents: text nodes only. The keyboard cursor is `aria-selected`; checkboxes hold the
 * multi-selection; Enter opens a row's details under it.
 */
export function PatchTable(props: { items: FleetPatchRow[]; selection: Selection; expanded: string | null; onExpand: (key: string) => void; bodyRef: (el: HTMLTableSectionElement) => void }): JSX.Element {
  const sel = props.selection;
  const allSelected = () => props.items.length > 0 && sel.selected().size === props.items.length;
  return (
    <div class="patch-table-scroll">
      <table class="table patch-table" data-testid="patches-table" aria-label="Missing updates" aria-multiselectable="true">
        <thead>
          <tr>
            <th class="check-col">
              <input type="checkbox" aria-label="Select all loaded updates" checked={allSelected()} onChange={(e) => (e.currentTarget.checked ? sel.selectAll() : sel.clear())} />
            </th>
            <th class="col-wide">Update</th>
            <th>Source</th>
            <th>Classification</th>
            <th>Severity</th>
            <th>CVEs</th>
            <th class="num">Devices</th>
            <th>Approval</th>
            <th>First seen</th>
          </tr>
        </thead>
        <tbody ref={props.bodyRef}>
          <For each={props.items}>
            {(p, i) => (
              <>
                <tr
                  data-testid={`patch-row-${p.key}`}
                  data-patch-key={p.key}
                  data-index={i()}
                  aria-selected={sel.cursor() === i()}
                  classList={{ 'is-cursor': sel.cursor() === i(), 'is-selected': sel.selected().has(p.id) }}
                  onClick={() => {
                    sel.move(i());
                    props.onExpand(p.key);
                  }}
                >
                  <td class="check-col" onClick={(e) => e.stopPropagation()}>
                    <input
                      type="checkbox"
                      data-testid="patch-select"
                      aria-label={`Select ${p.title}`}
                      checked={sel.selected().has(p.id)}
                      onClick={(e) => {
                        if (e.shiftKey) {
                          e.preventDefault();
                          sel.toggleRange(i());
                        } else sel.toggle(p.id);
                        sel.move(i());
                      }}
                    />
                  </td>
                  <td>
                    <div class="cell-strong ellipsis" title={p.title}>
                      {p.title}
                    </div>
                    <div class="muted small mono ellipsis">
                      {p.name}
                      {p.availableVersion ? ` → ${p.availableVersion}` : ''}
                    </div>
                  </td>
                  <PatchKindCells patch={p} />
                  <td class="num" data-testid="patch-devices">
                    {p.devices.toLocaleString()}
                  </td>
                  <td>
                    <ApprovalBadge approval={p.approval} source={p.approvalSource} decidedBy={p.decidedBy} decidedAt={p.decidedAt} />
                  </td>
                  <td class="nowrap" title={formatDateTime(p.firstSeenAt)}>
                    {relativeTime(p.firstSeenAt, now())}
                  </td>
                </tr>
                <Show when={props.expanded === p.key}>
                  <tr class="patch-detail-row" data-testid="patch-detail">
                    <td />
                    <td colSpan={8}>
                      <dl class="patch-detail">
                        <dt>Key</dt>
                        <dd class="mono">{p.key}</dd>
                        <dt>Advisory</dt>
                        <dd>{p.advisory ?? '—'}</dd>
                        <dt>CVEs</dt>
                        <dd class="mono">{p.cves.length ? p.cves.join(', ') : '—'}</dd>
                        <dt>Reboot</dt>
                        <dd>{p.rebootRequired ? 'required after install' : 'not required'}</dd>
                      </dl>
                    </td>
                  </tr>
                </Show>
              </>
            )}
          </For>
        </tbody>
      </table>
    </div>
  );
}
