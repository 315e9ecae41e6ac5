import { createEffect, onCleanup, Show, type JSX } from 'solid-js';

/**
 * A modal built on <dialog>: the browser traps focus, Escape closes it, and the page
 * behind is inert. Children render only while open, so each opening starts fresh.
 */
export function Dialog(props: {
  open: boolean;
  title: string;
  onClose: () => void;
  children: JSX.Element;
  testId?: string;
}): JSX.Element {
  let el!: HTMLDialogElement;
  // Where focus was before opening; it goes back there on close.
  let opener: Element | null = null;

  createEffect(() => {
    if (props.open && !el.open) {
      opener = document.activeElement;
      el.showModal();
    } else if (!props.open && el.open) {
      el.close();
    }
  });
  onCleanup(() => el.open && el.close());

  return (
    <dialog
      ref={el}
      class="dialog"
      aria-label={props.title}
      data-testid={props.testId}
      onCancel={(e) => {
        e.preventDefault();
        props.onClose();
      }}
      onClose={() => {
        if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
        opener = null;
      }}
    >
      <Show when={props.open}>
        <h2 class="dialog-title">{props.title}</h2>
        {props.children}
      </Show>
    </dialog>
  );
}
