import { createEffect, on, type Accessor } from 'solid-js';

/**
 * Keeps the keyboard's row in view as it moves. Rows carry `data-index`; `body` is read when
 * the cursor moves, not now, because a ref is only set once the table has rendered.
 */
export function followCursor(cursor: Accessor<number>, body: () => HTMLElement): void {
  createEffect(on(cursor, (i) => body().querySelector<HTMLElement>(`tr[data-index="${i}"]`)?.scrollIntoView({ block: 'nearest' }), { defer: true }));
}
