import { createEffect, createSignal, on, onCleanup, type Accessor, type Setter } from 'solid-js';

/**
 * A search box's text. The box follows every keystroke; `apply` gets the trimmed text only
 * once typing pauses, so the list (and the URL) reload once per word, not per key.
 */
export function createSearchDraft(initial: string, apply: (q: string) => void): [Accessor<string>, Setter<string>] {
  const [draft, setDraft] = createSignal(initial);
  let timer: ReturnType<typeof setTimeout> | undefined;
  createEffect(on(draft, (text) => {
    clearTimeout(timer);
    timer = setTimeout(() => apply(text.trim()), 300);
  }, { defer: true }));
  onCleanup(() => clearTimeout(timer));
  return [draft, setDraft];
}
