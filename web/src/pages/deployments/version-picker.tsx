import { createEffect, createResource, createSignal, For, on, Show, type JSX } from 'solid-js';
import { describeFailure } from '../../api/errors';
import { createSearchDraft } from '../../lib/search-draft';
import { settled } from '../../lib/resource';
import { formatBytes, formatDateTime } from '../../lib/format';
import { listPackages, loadPackage, PLATFORM_LABEL, type PackageDetail, type PackageVersion } from '../../state/packages';

export interface VersionPick {
  pkg: PackageDetail;
  version: PackageVersion;
}

/**
 * Which catalog version to deploy: search the catalog, pick a package that has a ready
 * version, then one of its ready versions (the newest first). `initial` comes from a
 * package page's Deploy link.
 */
export function VersionPicker(props: { initial: { packageId?: string; versionId?: string }; onPick: (p: VersionPick | null) => void }): JSX.Element {
  const [q, setQ] = createSignal('');
  const [draft, setDraft] = createSearchDraft('', setQ);
  const [packageId, setPackageId] = createSignal(props.initial.packageId ?? '');
  const [versionId, setVersionId] = createSignal(props.initial.versionId ?? '');
  // An object source: an empty search is a search too (a bare '' would not fetch).
  const [found] = createResource(() => ({ q: q() }), (s) => listPackages(s).then((p) => p.items.filter((x) => x.latest !== null)));
  const [pkg] = createResource(() => packageId() || false, loadPackage);
  const ready = () => (settled(pkg)?.versions ?? []).filter((v) => v.status === 'ready');

  // A package's newest ready version is the default; a version named by the link wins once.
  createEffect(on(ready, (versions) => {
    if (!versions.length) return;
    if (!versions.some((v) => v.id === versionId())) setVersionId(versions[0]!.id);
  }));
  createEffect(() => {
    const p = settled(pkg);
    const v = ready().find((x) => x.id === versionId());
    props.onPick(p && v && p.id === packageId() ? { pkg: p, version: v } : null);
  });

  const options = () => {
    const list = settled(found) ?? [];
    const current = settled(pkg);
    // The chosen package stays selectable while the search shows others.
    return current && !list.some((p) => p.id === current.id) ? [current, ...list] : list;
  };

  return (
    <div class="version-picker" data-testid="version-picker">
      <div class="row gap wrap">
        <label class="field grow">
          <span>Search the catalog</span>
          <input class="input search" type="search" data-testid="deploy-package-search" placeholder="Package name or vendor" value={draft()} onInput={(e) => setDraft(e.currentTarget.value)} />
        </label>
        <label class="field grow">
          <span>Package</span>
          <select class="input select" data-testid="deploy-package" onChange={(e) => setPackageId(e.currentTarget.value)}>
            <option value="">{found.loading ? 'Searching…' : options().length ? 'Choose a package' : 'No package with a ready version'}</option>
            <For each={options()}>
              {(p) => (
                <option value={p.id} selected={p.id === packageId()}>
                  {p.name} ({p.installer}, {PLATFORM_LABEL[p.platform]})
                </option>
              )}
            </For>
          </select>
        </label>
        <label class="field">
          <span>Version</span>
          <select class="input select" data-testid="deploy-version" disabled={!ready().length} onChange={(e) => setVersionId(e.currentTarget.value)}>
            <For each={ready()} fallback={<option value="">—</option>}>
              {(v) => (
                <option value={v.id} selected={v.id === versionId()}>
                  {v.version}
                </option>
              )}
            </For>
          </select>
        </label>
      </div>
      <Show when={found.error ?? pkg.error}>{(err) => <span class="field-error">Could not load the catalog: {describeFailure(err())}</span>}</Show>
      <Show when={settled(pkg) && ready().find((v) => v.id === versionId())}>
        {(v) => (
          <div class="muted small" data-testid="deploy-version-facts">
            {settled(pkg)!.name} {v().version} · {PLATFORM_LABEL[settled(pkg)!.platform]} only · {v().size === null ? `repository package ${v().repoName ?? ''}` : formatBytes(v().size!)} · ready{' '}
            {formatDateTime(v().readyAt)}
          </div>
        )}
      </Show>
    </div>
  );
}
