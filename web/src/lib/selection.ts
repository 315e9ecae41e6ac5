import { createEffect, createSignal, on, type Accessor } from 'solid-js';

/** Keyboard cursor plus a multi-selection over any list of rows with ids. */
export interface Selection {
  /** Index of the row the keyboard is on. */
  cursor: Accessor<number>;
  selected: Accessor<ReadonlySet<string>>;
  move: (to: number, extend?: boolean) => void;
  toggle: (id: string) => void;
  /** Shift+click: everything between the last toggled row and this one takes its state. */
  toggleRange: (index: number) => void;
  selectAll: () => void;
  clear: () => void;
  /** Selected ids, or the cursor row's when none is selected: what an action applies to. */
  targets: () => string[];
}

export function createSelection<T extends { id: string }>(items: Accessor<T[]>): Selection {
  const [cursor, setCursor] = createSignal(0);
  const [selected, setSelected] = createSignal<ReadonlySet<string>>(new Set());
  let anchor = 0;

  // Rows that left the list (a new filter) leave the selection too.
  createEffect(
    on(items, (list) => {
      const ids = new Set(list.map((a) => a.id));
      const kept = [...selected()].filter((id) => ids.has(id));
      if (kept.length !== selected().size) setSelected(new Set(kept));
      setCursor((c) => Math.min(c, Math.max(0, list.length - 1)));
    }),
  );

  const setMany = (ids: string[], on: boolean) => {
    const next = new Set(selected());
    for (const id of ids) on ? next.add(id) : next.delete(id);
    setSelected(next);
  };

  return {
    cursor,
    selected,
    move(to, extend = false) {
      const list = items();
      if (!list.length) return;
      const from = cursor();
      const next = Math.max(0, Math.min(list.length - 1, to));
      // Shift+arrows select as they go, like a file manager.
      if (extend) setMany([list[from]!.id, list[next]!.id], true);
      setCursor(next);
    },
    toggle(id) {
      const i = items().findIndex((a) => a.id === id);
      if (i >= 0) anchor = i;
      setMany([id], !selected().has(id));
    },
    toggleRange(index) {
      const list = items();
      const [lo, hi] = anchor < index ? [anchor, index] : [index, anchor];
      const target = list[index];
      if (!target) return;
      setMany(list.slice(lo, hi + 1).map((a) => a.id), !selected().has(target.id));
      anchor = index;
    },
    selectAll: () => setSelected(new Set(items().map((a) => a.id))),
    clear: () => setSelected(new Set<string>()),
    targets() {
      const list = items();
      if (selected().size) return list.filter((a) => selected().has(a.id)).map((a) => a.id);
      const row = list[cursor()];
      return row ? [row.id] : [];
    },
  };
}
