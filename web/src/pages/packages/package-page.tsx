import { A, useNavigate, useParams, useSearchParams } from '@solidjs/router';
import { createResource, Show, type JSX } from 'solid-js';
import { describeFailure } from '../../api/errors';
import { deleteConfirmed } from '../../lib/delete-confirmed';
import { settled } from '../../lib/resource';
import { can } from '../../state/session';
import { canPublish, deletePackage, deleteVersion, INSTALLER_LABEL, loadPackage, PLATFORM_LABEL, type PackageDetail, type PackageVersion } from '../../state/packages';
import { Empty, Loading } from '../../components/feedback';
import { VersionForm } from './version-form';
import { deployHref, VersionTable } from './version-table';
import '../../styles/automation.css';
import '../../styles/deploy.css';

export default function PackagePage(): JSX.Element {
  const params = useParams<{ id: string }>();
  const [pkg, { refetch }] = createResource(() => params.id, loadPackage);
  return (
    <div class="page">
      <Show when={!pkg.error} fallback={<Empty>{describeFailure(pkg.error)} <A href="/packages">Back to packages</A></Empty>}>
        <Show when={settled(pkg)} fallback={<Loading label="Loading package…" />}>
          {(p) => <PackageView pkg={p()} refetch={() => void refetch()} />}
        </Show>
      </Show>
    </div>
  );
}

/** One package: what it is, its versions (with their digests) and, for admins, adding and deleting them. */
function PackageView(props: { pkg: PackageDetail; refetch: () => void }): JSX.Element {
  const navigate = useNavigate();
  const [search, setSearch] = useSearchParams<{ add?: string }>();
  const adding = () => search.add === '1';
  const p = () => props.pkg;
  const latest = () => p().latest;

  const removePackage = () =>
    deleteConfirmed(`Delete the package “${p().name}” with its ${p().versionCount} versions and their stored files?`, () => deletePackage(p().id), 'Package deleted', () => navigate('/packages'));
  const removeVersion = (v: PackageVersion) =>
    deleteConfirmed(`Delete version ${v.version} of “${p().name}”${v.status === 'ready' ? ' and its stored file' : ''}?`, () => deleteVersion(p().id, v.id), `Version ${v.version} deleted`, props.refetch);

  return (
    <>
      <div class="page-head">
        <A href="/packages" class="btn btn-ghost" aria-label="Back to packages">
          ←
        </A>
        <h1 data-testid="package-title">{p().name}</h1>
        <span class="badge badge-info">{PLATFORM_LABEL[p().platform]}</span>
        <span class="spacer" />
        <Show when={can('technician') && latest()}>
          {(l) => (
            <A href={deployHref(p().id, l().id)} class="btn" data-testid="deploy-latest">
              Deploy {l().version}
            </A>
          )}
        </Show>
        <Show when={canPublish()}>
          <button type="button" class="btn btn-primary" data-testid="add-version" disabled={adding()} onClick={() => setSearch({ add: '1' }, { replace: true })}>
            Add version
          </button>
          <button type="button" class="btn danger-btn" data-testid="package-delete" onClick={() => void removePackage()}>
            Delete package
          </button>
        </Show>
      </div>
      <section class="panel">
        <dl class="facts">
          <dt>Vendor</dt>
          <dd>{p().vendor || '—'}</dd>
          <dt>Installer</dt>
          <dd>
            <span class="mono">{p().installer}</span> <span class="muted">{INSTALLER_LABEL[p().installer]}</span>
          </dd>
          <Show when={p().description}>
            <dt>Description</dt>
            <dd class="pre-line">{p().description}</dd>
          </Show>
        </dl>
      </section>
      <Show when={adding() && canPublish()}>
        <VersionForm pkg={p()} onChanged={props.refetch} onClose={() => setSearch({ add: null }, { replace: true })} />
      </Show>
      <section class="panel">
        <div class="panel-head">
          <h2>Versions</h2>
        </div>
        <VersionTable versions={p().versions} onDelete={(v) => void removeVersion(v)} />
      </section>
    </>
  );
}
