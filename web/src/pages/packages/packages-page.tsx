import { A, useNavigate } from '@solidjs/router';
import { createSignal, For, Show, type JSX } from 'solid-js';
import { createListPage } from '../../lib/list-page';
import { formatDateTime } from '../../lib/format';
import { showToast } from '../../state/toasts';
import { canPublish, INSTALLER_LABEL, INSTALLERS, listPackages, PLATFORM_LABEL, type Package, type PackageDetail } from '../../state/packages';
import { PagedListBody } from '../../components/paged-list-body';
import { ListKeysHint, ListSearch } from '../../components/list-search';
import { PageHead } from '../../components/page-head';
import { PackageForm } from './package-form';
import '../../styles/automation.css';
import '../../styles/deploy.css';

type Params = { q?: string; platform?: string; installer?: string };

/** The software catalog: search and filters in the URL, the queue keys, a row opens the package. */
export default function PackagesPage(): JSX.Element {
  const navigate = useNavigate();
  const [creating, setCreating] = createSignal(false);
  const open = (p: Package) => navigate(`/packages/${p.id}`);
  const page = createListPage({
    query: (search: Params) => ({ q: search.q, platform: search.platform, installer: search.installer }),
    fetchPage: listPackages,
    open,
  });
  const { search, patch, list, cursor } = page;
  const saved = (p: PackageDetail) => {
    setCreating(false);
    showToast(`Package ${p.name} created: add its first version`);
    navigate(`/packages/${p.id}?add=1`);
  };

  return (
    <div class="page">
      <PageHead title="Packages" onRefresh={list.reload} busy={list.loading()}>
        <Show when={canPublish()}>
          <button type="button" class="btn btn-primary" data-testid="new-package" onClick={() => setCreating(true)}>
            New package
          </button>
        </Show>
      </PageHead>
      <Show when={creating()}>
        <PackageForm onSaved={saved} onCancel={() => setCreating(false)} />
      </Show>
      <div class="toolbar">
        <ListSearch ref={page.searchRef} value={page.draftQ()} onInput={page.setDraftQ} placeholder="Search name, vendor or description" label="Search packages" testId="package-search" />
        <select class="input select" aria-label="Platform" data-testid="package-filter-platform" onChange={(e) => patch({ platform: e.currentTarget.value })}>
          <option value="">Any platform</option>
          <For each={Object.entries(PLATFORM_LABEL)}>
            {([id, label]) => (
              <option value={id} selected={id === search.platform}>
                {label}
              </option>
            )}
          </For>
        </select>
        <select class="input select" aria-label="Installer" data-testid="package-filter-installer" onChange={(e) => patch({ installer: e.currentTarget.value })}>
          <option value="">Any installer</option>
          <For each={INSTALLERS}>
            {(i) => (
              <option value={i} selected={i === search.installer}>
                {INSTALLER_LABEL[i]}
              </option>
            )}
          </For>
        </select>
      </div>
      <section class="panel">
        <PagedListBody list={list} noun="packages" moreTestId="packages-more" empty={<span data-testid="packages-empty">No packages match.</span>}>
          <table class="table table-click" data-testid="packages-table">
            <thead>
              <tr>
                <th class="col-wide">Package</th>
                <th>Installer</th>
                <th>Platform</th>
                <th>Latest ready</th>
                <th class="num">Versions</th>
                <th>Updated</th>
              </tr>
            </thead>
            <tbody ref={page.bodyRef}>
              <For each={list.items()}>
                {(p, i) => (
                  <tr data-index={i()} data-testid="package-row" data-package-id={p.id} classList={{ 'is-selected': cursor() === i() }} onClick={() => open(p)}>
                    <td>
                      <A href={`/packages/${p.id}`} class="row-link">
                        {p.name}
                      </A>
                      <div class="muted small ellipsis">{p.vendor}</div>
                    </td>
                    <td class="mono">{p.installer}</td>
                    <td>{PLATFORM_LABEL[p.platform]}</td>
                    <td class="mono">{p.latest?.version ?? <span class="muted">none</span>}</td>
                    <td class="num">{p.versionCount}</td>
                    <td class="nowrap">{formatDateTime(p.updatedAt)}</td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </PagedListBody>
      </section>
      <ListKeysHint />
    </div>
  );
}
