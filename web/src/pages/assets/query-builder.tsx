import { createMemo, createResource, For, Show, type JSX } from 'solid-js';
import { settled } from '../../lib/resource';
import { allDevicesRaw } from '../../state/devices';
import { loadGroups } from '../../state/groups';
import { DeviceFilters } from '../devices/device-filters';
import { filterOptions } from '../devices/device-query';
import { ConditionEditor } from './condition-editor';
import { EXAMPLES, newCondition, type FilterDraft, type QueryDraft } from './search-conditions';

/**
 * Conditions joined by all/any, narrowed by the device list's filters. Every input sits in
 * the page's form, so Enter anywhere runs the search.
 */
export function QueryBuilder(props: { draft: QueryDraft; onChange: (d: QueryDraft) => void; problems: { path: string; message: string }[]; onExample: (d: QueryDraft) => void }): JSX.Element {
  const [groups] = createResource(loadGroups);
  const options = createMemo(() => filterOptions(allDevicesRaw()));
  const set = (p: Partial<QueryDraft>) => props.onChange({ ...props.draft, ...p });
  const setFilter = (p: Partial<FilterDraft>) => set({ filter: { ...props.draft.filter, ...p } });
  const problemAt = (i: number) => props.problems.find((p) => p.path === `conditions.${i}` || p.path.startsWith(`conditions.${i}.`))?.message ?? null;
  const general = () => props.problems.filter((p) => !/^conditions\.\d+/.test(p.path));

  return (
    <div class="stack" data-testid="query-builder">
      <div class="search-examples" data-testid="search-examples">
        <span class="muted small">Examples:</span>
        <For each={EXAMPLES}>
          {(ex) => (
            <button type="button" class="btn btn-small btn-ghost" data-testid="search-example" onClick={() => props.onExample(ex.draft)}>
              {ex.label}
            </button>
          )}
        </For>
      </div>
      <div class="row gap">
        <span>Devices matching</span>
        <div class="segmented" role="group" aria-label="Combine conditions">
          <button type="button" class="btn btn-small" classList={{ 'is-active': props.draft.match === 'all' }} aria-pressed={props.draft.match === 'all'} data-testid="match-all" onClick={() => set({ match: 'all' })}>
            all
          </button>
          <button type="button" class="btn btn-small" classList={{ 'is-active': props.draft.match === 'any' }} aria-pressed={props.draft.match === 'any'} data-testid="match-any" onClick={() => set({ match: 'any' })}>
            any
          </button>
        </div>
        <span>of these conditions</span>
      </div>
      <ol class="condition-list">
        <For each={props.draft.conditions}>
          {(c, i) => (
            <ConditionEditor
              draft={c}
              index={i()}
              join={props.draft.match === 'all' ? 'and' : 'or'}
              problem={problemAt(i())}
              canRemove={props.draft.conditions.length > 1}
              onChange={(d) => set({ conditions: props.draft.conditions.map((x, j) => (j === i() ? d : x)) })}
              onRemove={() => set({ conditions: props.draft.conditions.filter((_, j) => j !== i()) })}
            />
          )}
        </For>
      </ol>
      <div class="row gap">
        <button type="button" class="btn btn-small" data-testid="add-condition" disabled={props.draft.conditions.length >= 20} onClick={() => set({ conditions: [...props.draft.conditions, newCondition()] })}>
          + Add condition
        </button>
      </div>
      <div class="toolbar" data-testid="search-filters">
        <span class="muted small">Only devices</span>
        <input class="input input-small" type="search" placeholder="Hostname or IP" aria-label="Hostname or IP" value={props.draft.filter.q} onInput={(e) => setFilter({ q: e.currentTarget.value })} />
        <DeviceFilters filter={props.draft.filter} options={options()} groups={settled(groups) ?? []} onChange={setFilter} />
        <select class="input select" aria-label="Platform" data-testid="filter-platform" value={props.draft.filter.platform} onChange={(e) => setFilter({ platform: e.currentTarget.value as FilterDraft['platform'] })}>
          <option value="">Any platform</option>
          <option value="windows">Windows</option>
          <option value="macos">macOS</option>
          <option value="linux">Linux</option>
        </select>
      </div>
      <Show when={general().length}>
        <div class="form-error" role="alert">
          <For each={general()}>{(p) => <div>{p.path ? `${p.path}: ` : ''}{p.message}</div>}</For>
        </div>
      </Show>
    </div>
  );
}
