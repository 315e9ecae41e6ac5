import { createEffect, createMemo, createSignal, For, on, Show, type JSX } from 'solid-js';
import type { ChangeKind } from '../../../../protocol/inventory';
import { createPagedList } from '../../lib/paged-list';
import { createSearchDraft } from '../../lib/search-draft';
import { PagedListBody } from '../../components/paged-list-body';
import { ChangeKindBadge, ChangeKindSelect, ChangeValues } from '../../components/change-parts';
import { deviceCsvUrl, listChanges, type ChangeRecord, type ChangesFilter } from './inventory-data';
import { CHANGE_LOOK, dayBound, formatTime, groupByDay } from './changes-kinds';

/** What changed on the device, newest first, a day at a time; subjects and values are agent text. */
export function ChangesTab(props: { deviceId: string; version: number }): JSX.Element {
  const [kind, setKind] = createSignal<ChangeKind | ''>('');
  const [q, setQ] = createSignal('');
  const [draft, setDraft] = createSearchDraft('', setQ);
  const [from, setFrom] = createSignal('');
  const [to, setTo] = createSignal('');
  const filter = (): ChangesFilter => ({ kind: kind() || undefined, q: q() || undefined, from: dayBound(from(), false), to: dayBound(to(), true) });
  const list = createPagedList<ChangeRecord>((cursor) => listChanges(props.deviceId, filter(), cursor));
  createEffect(on(() => [JSON.stringify(filter()), props.version], () => void list.reload()));
  const days = createMemo(() => groupByDay(list.items()));
  const filtered = () => !!(kind() || q() || from() || to());

  return (
    <section class="panel" data-testid="changes-tab">
      <div class="panel-head toolbar">
        <h2>Changes</h2>
        <ChangeKindSelect value={kind()} onChange={setKind} testId="changes-kind" />
        <input
          class="input input-small"
          type="search"
          placeholder="Search what changed"
          aria-label="Search changes"
          data-testid="changes-search"
          value={draft()}
          onInput={(e) => setDraft(e.currentTarget.value)}
          onKeyDown={(e) => e.key === 'Enter' && setQ(e.currentTarget.value.trim())}
        />
        <label class="field-inline">
          <span class="muted small">From</span>
          <input class="input input-small" type="date" aria-label="From day" value={from()} onChange={(e) => setFrom(e.currentTarget.value)} />
        </label>
        <label class="field-inline">
          <span class="muted small">to</span>
          <input class="input input-small" type="date" aria-label="To day" value={to()} onChange={(e) => setTo(e.currentTarget.value)} />
        </label>
        <span class="spacer" />
        <a class="btn btn-small" href={deviceCsvUrl(props.deviceId, 'changes', filter())} download="" data-testid="changes-csv">
          CSV
        </a>
      </div>
      <PagedListBody list={list} noun="changes" moreTestId="changes-more" empty={filtered() ? 'No changes match.' : 'No changes recorded yet: the first inventory is the baseline.'}>
        <div class="change-days" data-testid="changes-timeline">
          <For each={days()}>
            {(d) => (
              <div class="change-day">
                <h3 class="change-day-head">{d.day}</h3>
                <ol class="timeline">
                  <For each={d.rows}>{(c) => <ChangeItem change={c} />}</For>
                </ol>
              </div>
            )}
          </For>
        </div>
      </PagedListBody>
    </section>
  );
}

function ChangeItem(props: { change: ChangeRecord }): JSX.Element {
  const look = () => CHANGE_LOOK[props.change.kind];
  return (
    <li class={`timeline-item change-item tone-${look().tone}`} data-testid="change-row" data-kind={props.change.kind}>
      <div class="row gap">
        <ChangeKindBadge kind={props.change.kind} />
        <span class="cell-strong" data-testid="change-subject">
          {props.change.subject}
        </span>
        <Show when={props.change.source}>{(s) => <span class="muted small">{s()}</span>}</Show>
        <span class="spacer" />
        <span class="muted small nowrap">{formatTime(props.change.at)}</span>
      </div>
      <ChangeValues change={props.change} class="timeline-detail mono small" />
    </li>
  );
}
