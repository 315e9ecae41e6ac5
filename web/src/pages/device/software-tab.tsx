import { createEffect, createSignal, For, on, type JSX } from 'solid-js';
import { SOFTWARE_SOURCES, type SoftwareSource } from '../../../../protocol/inventory';
import { createPagedList } from '../../lib/paged-list';
import { createSearchDraft } from '../../lib/search-draft';
import { PagedListBody } from '../../components/paged-list-body';
import { deviceCsvUrl, listSoftware, sbomUrl, type SoftwareQuery, type SoftwareRow } from './inventory-data';
import { bytesOrNone, formatDay } from './inventory-format';

type SortKey = 'name' | 'installedAt' | 'sizeBytes';
const COLUMNS: { label: string; sort?: SortKey; num?: boolean }[] = [
  { label: 'Name', sort: 'name' },
  { label: 'Version' },
  { label: 'Publisher' },
  { label: 'Source' },
  { label: 'Arch' },
  { label: 'Installed', sort: 'installedAt' },
  { label: 'Size', sort: 'sizeBytes', num: true },
];

/** Installed software, searched, filtered and sorted by the server; names are agent text. */
export function SoftwareTab(props: { deviceId: string; version: number }): JSX.Element {
  const [q, setQ] = createSignal('');
  const [draft, setDraft] = createSearchDraft('', setQ);
  const [source, setSource] = createSignal<SoftwareSource | ''>('');
  const [sort, setSort] = createSignal<NonNullable<SoftwareQuery['sort']>>('name');
  const query = (): SoftwareQuery => ({ q: q() || undefined, source: source() || undefined, sort: sort() });
  const list = createPagedList<SoftwareRow>((cursor) => listSoftware(props.deviceId, query(), cursor));
  createEffect(on(() => [JSON.stringify(query()), props.version], () => void list.reload()));

  const toggleSort = (key: SortKey) => setSort((s) => (s === key ? (`-${key}` as const) : key));
  const mark = (key: SortKey) => (sort() === key ? '▲' : sort() === `-${key}` ? '▼' : '');

  return (
    <section class="panel" data-testid="software-tab">
      <div class="panel-head toolbar">
        <h2>Software</h2>
        <input
          class="input input-small"
          type="search"
          placeholder="Search name or publisher"
          aria-label="Search software"
          data-testid="software-search"
          value={draft()}
          onInput={(e) => setDraft(e.currentTarget.value)}
          onKeyDown={(e) => e.key === 'Enter' && setQ(e.currentTarget.value.trim())}
        />
        <select class="input select" aria-label="Source" data-testid="software-source" value={source()} onChange={(e) => setSource(e.currentTarget.value as SoftwareSource | '')}>
          <option value="">Every source</option>
          <For each={SOFTWARE_SOURCES}>{(s) => <option value={s}>{s.replace('_', ' ')}</option>}</For>
        </select>
        <span class="spacer" />
        <a class="btn btn-small" href={deviceCsvUrl(props.deviceId, 'software', query())} download="" data-testid="software-csv">
          CSV
        </a>
        <a class="btn btn-small" href={sbomUrl(props.deviceId)} download="" data-testid="software-sbom" title="CycloneDX 1.6 software bill of materials">
          SBOM
        </a>
      </div>
      <PagedListBody list={list} noun="software" moreTestId="software-more" empty={q() || source() ? 'No software matches.' : 'No software reported yet.'}>
        <table class="table" data-testid="software-table">
          <thead>
            <tr>
              <For each={COLUMNS}>
                {(c) => (
                  <th classList={{ num: !!c.num }} aria-sort={c.sort && mark(c.sort) ? (mark(c.sort) === '▲' ? 'ascending' : 'descending') : undefined}>
                    {c.sort ? (
                      <button type="button" class="sort-button" data-testid={`software-sort-${c.sort}`} onClick={() => toggleSort(c.sort!)}>
                        {c.label}
                        <span class="sort-mark" aria-hidden="true">
                          {mark(c.sort)}
                        </span>
                      </button>
                    ) : (
                      c.label
                    )}
                  </th>
                )}
              </For>
            </tr>
          </thead>
          <tbody>
            <For each={list.items()}>
              {(s) => (
                <tr data-testid="software-row">
                  <td class="cell-strong" data-testid="software-name">
                    {s.name}
                  </td>
                  <td class="mono">{s.version}</td>
                  <td class="ellipsis" title={s.publisher ?? ''}>
                    {s.publisher ?? ''}
                  </td>
                  <td>{s.source.replace('_', ' ')}</td>
                  <td>{s.arch ?? ''}</td>
                  <td class="nowrap">{formatDay(s.installedAt)}</td>
                  <td class="num">{bytesOrNone(s.sizeBytes)}</td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </PagedListBody>
    </section>
  );
}
