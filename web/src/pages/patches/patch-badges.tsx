import { For, Show, type JSX } from 'solid-js';
import { formatDateTime } from '../../lib/format';
import { CLASSIFICATION_LABEL, SOURCE_LABEL, type Approval, type DevicePatch, type Severity } from '../../state/patches';

const SEVERITY_TONE: Record<Severity, string> = { critical: 'badge-bad', important: 'badge-warn', moderate: 'badge-info', low: 'badge-quiet', unknown: 'badge-quiet' };
const APPROVAL_TONE: Record<Approval, string> = { approved: 'badge-ok', declined: 'badge-bad', pending: 'badge-warn' };

/** Word and colour together: severity must read without colour vision. */
export function PatchSeverityBadge(props: { severity: Severity }): JSX.Element {
  return (
    <span class={`badge ${SEVERITY_TONE[props.severity]}`} data-testid="patch-severity">
      {props.severity}
    </span>
  );
}

/**
 * The approval and who made it: a person's decision names them, otherwise the policy decided
 * (and changes with it).
 */
export function ApprovalBadge(props: { approval: Approval; source: 'decision' | 'policy'; decidedBy?: string | null; decidedAt?: number | null }): JSX.Element {
  const who = () => (props.source === 'policy' ? 'by policy' : `by ${props.decidedBy ?? 'a person'}${props.decidedAt ? `, ${formatDateTime(props.decidedAt)}` : ''}`);
  return (
    <span class="nowrap" data-testid="patch-approval" data-approval={props.approval} data-source={props.source}>
      <span class={`badge ${APPROVAL_TONE[props.approval]}`}>{props.approval}</span>{' '}
      <span class="approval-source muted small" classList={{ 'is-person': props.source === 'decision' }} title={who()}>
        {props.source === 'policy' ? 'policy' : '● person'}
      </span>
    </span>
  );
}

/** The first two CVE ids, and how many more: the full list is in the title. */
export function CveList(props: { cves: string[] }): JSX.Element {
  return (
    <Show when={props.cves.length} fallback={<span class="muted">—</span>}>
      <span class="cve-list mono small" title={props.cves.join(', ')} data-testid="patch-cves">
        <For each={props.cves.slice(0, 2)}>
          {(c, i) => (
            <span class="nowrap">
              {c}
              <Show when={i() === 1 && props.cves.length > 2}>
                {' '}
                <span class="cve-more">+{props.cves.length - 2}</span>
              </Show>
            </span>
          )}
        </For>
      </span>
    </Show>
  );
}

/** The source, classification, severity and CVE cells a patch row shows in the fleet list and on a device alike. */
export function PatchKindCells(props: { patch: Pick<DevicePatch, 'source' | 'classification' | 'severity' | 'cves'> }): JSX.Element {
  return (
    <>
      <td class="nowrap">{SOURCE_LABEL[props.patch.source]}</td>
      <td class="nowrap">{CLASSIFICATION_LABEL[props.patch.classification]}</td>
      <td>
        <PatchSeverityBadge severity={props.patch.severity} />
      </td>
      <td>
        <CveList cves={props.patch.cves} />
      </td>
    </>
  );
}
