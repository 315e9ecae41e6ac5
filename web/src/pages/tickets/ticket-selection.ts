import { createEffect, createSignal, on, type Accessor } from 'solid-js';

export interface Selection {
  cursor: Accessor<number>;
  selected: Accessor<ReadonlySet<string>>;
  move: (to: number) => void;
  toggle: (id: string) => void;
  selectAll: () => void;
  clear: () => void;
  /** Selected ids in list order, or the cursor row's when none is selected. */
  targets: () => string[];
}

/** Keyboard cursor plus a multi-selection over any list of rows with ids. */
export function createSelection<T extends { id: string }>(items: Accessor<T[]>): Selection {
  const [cursor, setCursor] = createSignal(0);
  const [selected, setSelected] = createSignal<ReadonlySet<string>>(new Set());

  // Rows that left the list (a new filter) leave the selection too.
  createEffect(
    on(items, (list) => {
      const ids = new Set(list.map((t) => t.id));
      const kept = [...selected()].filter((id) => ids.has(id));
      if (kept.length !== selected().size) setSelected(new Set(kept));
      setCursor((c) => Math.min(c, Math.max(0, list.length - 1)));
    }),
  );

  return {
    cursor,
    selected,
    move: (to) => setCursor(Math.max(0, Math.min(items().length - 1, to))),
    toggle(id) {
      const next = new Set(selected());
      next.has(id) ? next.delete(id) : next.add(id);
      setSelected(next);
    },
    selectAll: () => setSelected(new Set(items().map((t) => t.id))),
    clear: () => setSelected(new Set<string>()),
    targets() {
      const list = items();
      if (selected().size) return list.filter((t) => selected().has(t.id)).map((t) => t.id);
      const row = list[cursor()];
      return row ? [row.id] : [];
    },
  };
}
