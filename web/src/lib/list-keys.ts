import { createEffect, createSignal, on, onCleanup, onMount, type Accessor } from 'solid-js';
import { isEditable } from './keys';

/**
 * The queue keys of a plain list page: `/` search, j/k (or arrows) move, Enter opens.
 * `blocked` keeps them off while a dialog is open.
 */
export function createListKeys<T>(opts: {
  items: Accessor<T[]>;
  open: (row: T) => void;
  search?: () => HTMLInputElement | undefined;
  blocked?: () => boolean;
}): Accessor<number> {
  const [cursor, setCursor] = createSignal(0);
  createEffect(on(opts.items, (list) => setCursor((c) => Math.min(c, Math.max(0, list.length - 1)))));
  onMount(() => {
    const onKey = (e: KeyboardEvent) => {
      if (opts.blocked?.() || e.ctrlKey || e.metaKey || e.altKey) return;
      const box = opts.search?.();
      if (e.target === box) {
        if (e.key === 'Escape') box?.blur();
        return;
      }
      if (isEditable(e.target)) return;
      if (e.key === 'Enter' && e.target instanceof HTMLElement && e.target.closest('button, a')) return;
      const n = opts.items().length;
      const handled = (() => {
        switch (e.key) {
          case '/': box?.focus(); box?.select(); return !!box;
          case 'j': case 'ArrowDown': setCursor((c) => Math.min(n - 1, c + 1)); return true;
          case 'k': case 'ArrowUp': setCursor((c) => Math.max(0, c - 1)); return true;
          case 'Enter': case 'o': {
            const row = opts.items()[cursor()];
            if (row !== undefined) opts.open(row);
            return row !== undefined;
          }
          default: return false;
        }
      })();
      if (handled) e.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    onCleanup(() => document.removeEventListener('keydown', onKey));
  });
  return cursor;
}
