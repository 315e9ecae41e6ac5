import { createSignal } from 'solid-js';
import { describeFailure } from '../api/errors';

export interface Toast {
  id: number;
  kind: 'error' | 'info';
  text: string;
}

const [toasts, setToasts] = createSignal<Toast[]>([]);
let nextId = 1;

export { toasts };

export function dismissToast(id: number): void {
  setToasts((list) => list.filter((t) => t.id !== id));
}

export function showToast(text: string, kind: Toast['kind'] = 'info'): void {
  const id = nextId++;
  // Keep the stack short: a burst of failures must not cover the screen.
  setToasts((list) => [...list.slice(-3), { id, kind, text }]);
  setTimeout(() => dismissToast(id), kind === 'error' ? 8000 : 4000);
}

/** For failures that belong to no form field. */
export function toastError(err: unknown): void {
  showToast(describeFailure(err), 'error');
}
