import { createSignal, Show, type JSX } from 'solid-js';

/**
 * Text that turns into an input on "Rename": Enter saves, Escape cancels.
 * `save` rejects to keep the editor open (the caller reports the error).
 */
export function InlineEdit(props: {
  value: string;
  save: (next: string) => Promise<void>;
  label: string;
  children?: JSX.Element;
}): JSX.Element {
  const [editing, setEditing] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  let input!: HTMLInputElement;

  const commit = async () => {
    const next = input.value.trim();
    if (!next || next === props.value) return setEditing(false);
    setBusy(true);
    try {
      await props.save(next);
      setEditing(false);
    } catch {
      input.focus();
    } finally {
      setBusy(false);
    }
  };

  return (
    <Show
      when={editing()}
      fallback={
        <span class="inline-edit">
          {props.children ?? props.value}
          <button type="button" class="btn-link" onClick={() => setEditing(true)} aria-label={`Rename ${props.label}`}>
            Rename
          </button>
        </span>
      }
    >
      <input
        ref={(el) => {
          input = el;
          queueMicrotask(() => el.select());
        }}
        class="input input-inline"
        value={props.value}
        disabled={busy()}
        aria-label={`New name for ${props.label}`}
        onKeyDown={(e) => {
          if (e.key === 'Enter') void commit();
          if (e.key === 'Escape') setEditing(false);
        }}
        onBlur={() => !busy() && setEditing(false)}
      />
    </Show>
  );
}
