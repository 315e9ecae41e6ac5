import type { JSX } from 'solid-js';

/** A form that submits on Enter and also on Ctrl/⌘+Enter, so a run starts from inside any of its fields. */
export function SubmitForm(props: { class: string; testId?: string; onSubmit: () => void; children: JSX.Element }): JSX.Element {
  return (
    <form
      class={props.class}
      data-testid={props.testId}
      onSubmit={(e) => {
        e.preventDefault();
        props.onSubmit();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
          e.preventDefault();
          props.onSubmit();
        }
      }}
    >
      {props.children}
    </form>
  );
}
