import { createSignal, For, Show, type JSX } from 'solid-js';
import { me } from '../../state/session';
import { DEFAULT_FILTER, parseAssignee, parsePriority, parseStatus, type TicketFilter } from './ticket-filter';

type View = { name: string; filter: TicketFilter };
const MAX_VIEWS = 20;

const key = () => `tether.ticketViews.${me()?.user.id ?? 'anon'}`;

/** Stored in this browser per user; read defensively (another tab or version may have written it). */
function read(): View[] {
  try {
    const raw: unknown = JSON.parse(localStorage.getItem(key()) ?? '[]');
    if (!Array.isArray(raw)) return [];
    return raw
      .filter((v): v is { name: string; filter: Record<string, unknown> } => typeof v?.name === 'string' && typeof v?.filter === 'object' && v.filter !== null)
      .slice(0, MAX_VIEWS)
      .map((v) => {
        const f = v.filter;
        const text = (x: unknown) => (typeof x === 'string' ? x : '');
        return {
          name: v.name.slice(0, 60),
          filter: { ...DEFAULT_FILTER, status: parseStatus(text(f.status)), priority: parsePriority(text(f.priority)), clientId: text(f.clientId), assignee: parseAssignee(text(f.assignee)), q: text(f.q) },
        };
      });
  } catch {
    return [];
  }
}

/** Named filter sets ("my urgent work"): pick one to apply it, save the current filters as one. */
export function SavedViews(props: { filter: TicketFilter; onApply: (f: TicketFilter) => void }): JSX.Element {
  const [views, setViews] = createSignal<View[]>(read());
  const store = (next: View[]) => {
    setViews(next);
    try {
      localStorage.setItem(key(), JSON.stringify(next));
    } catch {
      // Storage full or disabled: the views last until the page closes.
    }
  };
  const save = () => {
    const name = prompt('Name this view')?.trim().slice(0, 60);
    if (!name) return;
    store([...views().filter((v) => v.name !== name), { name, filter: props.filter }].slice(-MAX_VIEWS));
  };
  const remove = (name: string) => store(views().filter((v) => v.name !== name));
  const [chosen, setChosen] = createSignal('');

  return (
    <>
      <select
        class="input select"
        aria-label="Saved views"
        data-testid="ticket-views"
        onChange={(e) => {
          const v = views().find((x) => x.name === e.currentTarget.value);
          setChosen(e.currentTarget.value);
          if (v) props.onApply(v.filter);
        }}
      >
        <option value="">Saved views…</option>
        <For each={views()}>{(v) => <option value={v.name} selected={v.name === chosen()}>{v.name}</option>}</For>
      </select>
      <button type="button" class="btn btn-small" onClick={save} title="Save the current filters as a view">
        Save view
      </button>
      <Show when={views().some((v) => v.name === chosen())}>
        <button type="button" class="btn btn-ghost btn-small" onClick={() => (remove(chosen()), setChosen(''))} aria-label="Delete this saved view">
          Delete view
        </button>
      </Show>
    </>
  );
}
