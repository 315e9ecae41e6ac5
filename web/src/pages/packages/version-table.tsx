import { A } from '@solidjs/router';
import { For, Show, type JSX } from 'solid-js';
import { formatBytes, formatDateTime } from '../../lib/format';
import { CopyButton } from '../../components/copy-button';
import { can } from '../../state/session';
import { canPublish, describeDetection, type PackageVersion } from '../../state/packages';

/** The new deployment form with this version chosen. */
export const deployHref = (packageId: string, versionId: string): string => `/deployments/new?packageId=${encodeURIComponent(packageId)}&versionId=${encodeURIComponent(versionId)}`;

const TONE: Record<PackageVersion['status'], string> = { ready: 'ok', uploading: 'info', failed: 'bad' };

export function VersionStatus(props: { status: PackageVersion['status'] }): JSX.Element {
  return (
    <span class={`badge badge-${TONE[props.status]}`} data-testid="version-status">
      {props.status}
    </span>
  );
}

/** A package's versions, newest first: what each is, its digest and how success is detected. */
export function VersionTable(props: { versions: PackageVersion[]; onDelete: (v: PackageVersion) => void }): JSX.Element {
  return (
    <Show when={props.versions.length} fallback={<div class="empty" data-testid="versions-empty">No versions yet.</div>}>
      <table class="table" data-testid="versions-table">
        <thead>
          <tr>
            <th>Version</th>
            <th>Status</th>
            <th class="num">Size</th>
            <th>SHA-256</th>
            <th class="col-wide">Detection</th>
            <th>Ready</th>
            <th />
          </tr>
        </thead>
        <tbody>
          <For each={props.versions}>
            {(v) => (
              <tr data-testid="version-row" data-version={v.version} data-version-id={v.id}>
                <td class="mono">
                  {v.version}
                  <Show when={v.fileName ?? v.repoName}>{(what) => <div class="muted small ellipsis">{what()}</div>}</Show>
                </td>
                <td>
                  <VersionStatus status={v.status} />
                  <Show when={v.status === 'uploading' && v.size}>{(size) => <div class="muted small">{formatBytes(v.uploadedBytes)} of {formatBytes(size())}</div>}</Show>
                  <Show when={v.error}>{(err) => <div class="field-error small">{err()}</div>}</Show>
                </td>
                <td class="num nowrap">{v.size === null ? '—' : formatBytes(v.size)}</td>
                <td class="nowrap">
                  <Show when={v.sha256} fallback={<span class="muted">—</span>}>
                    {(sha) => (
                      <span class="row gap">
                        <code class="mono small" title={sha()} data-testid="version-sha">
                          {sha().slice(0, 12)}…
                        </code>
                        <CopyButton text={sha()} />
                      </span>
                    )}
                  </Show>
                </td>
                <td class="small">{describeDetection(v.detection)}</td>
                <td class="nowrap">{formatDateTime(v.readyAt)}</td>
                <td class="nowrap">
                  <Show when={v.status === 'ready' && can('technician')}>
                    <A href={deployHref(v.packageId, v.id)} class="btn btn-small" data-testid="version-deploy">
                      Deploy
                    </A>{' '}
                  </Show>
                  <Show when={canPublish()}>
                    <button type="button" class="btn btn-small btn-ghost" data-testid="version-delete" aria-label={`Delete version ${v.version}`} onClick={() => props.onDelete(v)}>
                      Delete
                    </button>
                  </Show>
                </td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </Show>
  );
}
