import { For, type JSX } from 'solid-js';
import { dismissToast, toasts } from '../state/toasts';

export function ToastHost(): JSX.Element {
  return (
    <div class="toasts" role="status" aria-live="polite">
      <For each={toasts()}>
        {(t) => (
          <div class={`toast toast-${t.kind}`}>
            <span>{t.text}</span>
            <button type="button" class="toast-close" aria-label="Dismiss" onClick={() => dismissToast(t.id)}>
              ×
            </button>
          </div>
        )}
      </For>
    </div>
  );
}
